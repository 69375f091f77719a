import Foundation

#if PURSE_LIBFUZZER
/// libFuzzer's driver, linked in by `-sanitize=fuzzer`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif

/// The entry point. Built with libFuzzer (`scripts/fuzz`), it hands control to libFuzzer's
/// driver; built normally, `purse-fuzz FILE|DIR…` replays inputs (the seed corpus and every
/// crash kept as a regression) through the same target, so the suite checks them on every run.
@main
struct ReplayMain {
    static func main() {
        #if PURSE_LIBFUZZER
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            guard let data else { return 0 }
            return purseFuzzOneInput(data, size)
        })
        #else
        var count = 0
        for path in CommandLine.arguments.dropFirst() {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            let files = isDir.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
                : [path]
            for f in files {
                guard let data = FileManager.default.contents(atPath: f) else { continue }
                FuzzTarget.run(Array(data))
                count += 1
            }
        }
        print("replayed \(count) inputs")
        #endif
    }
}
