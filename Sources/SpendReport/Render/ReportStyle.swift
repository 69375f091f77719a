/// The page's one stylesheet, inline: system fonts only (nothing is fetched), tabular figures,
/// and print rules so the report reads on paper (colours kept, sections not split, links plain).
enum ReportStyle {
    static let css = """
    :root{--ink:\(ReportPalette.ink);--muted:\(ReportPalette.muted);--settled:\(ReportPalette.settled);\
    --pending:\(ReportPalette.pending);--alert:\(ReportPalette.alert);--warning:\(ReportPalette.warning);\
    --line:\(ReportPalette.grid);--track:\(ReportPalette.track)}
    *{box-sizing:border-box}
    html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
    body{margin:0;background:#fff;color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,\
    "Helvetica Neue",Arial,"Noto Sans",sans-serif}
    main{max-width:1040px;margin:0 auto;padding:28px 24px 40px}
    h1{font-size:26px;margin:0 0 4px;letter-spacing:-.01em}
    h2{font-size:18px;margin:0 0 12px}
    p{margin:6px 0}
    .sub,.note,.muted{color:var(--muted)}
    .note{font-size:13px}
    section{margin:26px 0 0;break-inside:avoid}
    code{font:13px/1.3 ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;\
    background:#F3F4F6;border-radius:4px;padding:1px 5px}
    .num{font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap}
    .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(128px,1fr));gap:12px;margin-top:18px}
    .card{border:1px solid var(--line);border-radius:10px;padding:12px 14px}
    .card .label{font-size:13px;color:var(--muted)}
    .card .value{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums;margin-top:2px;white-space:nowrap}
    .card .unit{font-size:13px;font-weight:600;margin-left:4px}
    .card.settled .value{color:var(--settled)}
    .card.pending .value{color:#8A5A00}
    .attention{border:2px solid var(--pending);background:#FFF6E0;border-radius:10px;padding:14px 18px}
    .attention.unknown{border-color:var(--alert);background:#FDECE6}
    .attention h2{margin-bottom:6px}
    .ok{border:1px solid #B6E3C6;background:#EEF9F1;border-radius:10px;padding:10px 16px}
    .empty{border:1px dashed var(--line);border-radius:10px;padding:28px;text-align:center;color:var(--muted)}
    .empty strong{display:block;color:var(--ink);font-size:18px;margin-bottom:4px}
    table{border-collapse:collapse;width:100%;font-size:14px}
    th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);text-align:left;\
    font-weight:600;border-bottom:2px solid var(--line);padding:6px 8px}
    th.num{text-align:right}
    td{border-bottom:1px solid #EEF0F2;padding:6px 8px;vertical-align:middle}
    td.time{white-space:nowrap;font-variant-numeric:tabular-nums}
    tfoot td{border-top:2px solid var(--line);border-bottom:0;font-weight:650}
    tr.open td{background:#FFF6E0}
    tr.unknown td{background:#FDECE6}
    .bar{width:34%}
    .bar svg{display:block;width:100%;height:14px}
    .badge{display:inline-block;font-size:12px;font-weight:600;border-radius:999px;padding:1px 8px;white-space:nowrap}
    .s-settled{background:#E3F0FA;color:#004B75}
    .s-failed{background:#EEF0F2;color:#424A53}
    .s-reserved,.s-sent{background:#FFF0C7;color:#6B4500}
    .s-unknown{background:#FBD9CC;color:#7A2600}
    .kind{font-size:11px;font-weight:600;border:1px solid var(--line);border-radius:4px;padding:0 5px;\
    color:var(--muted);margin-left:6px;text-transform:uppercase;letter-spacing:.04em}
    .legend{display:flex;gap:18px;font-size:13px;color:var(--muted);margin:6px 0 0}
    .legend .key{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-right:6px}
    .chart svg{display:block;width:100%;height:auto}
    .gauges{display:grid;gap:14px}
    .gauge .head{display:flex;justify-content:space-between;gap:12px;font-size:14px}
    .gauge svg{display:block;width:100%;height:16px;margin-top:4px}
    a{color:#0B5CAD}
    footer{margin-top:34px;border-top:1px solid var(--line);padding-top:12px;font-size:13px;color:var(--muted)}
    @page{margin:12mm}
    @media print{body{font-size:11px}main{padding:0;max-width:none}a{color:inherit;text-decoration:none}\
    .card .value{font-size:17px}section{margin-top:16px}}
    """
}
