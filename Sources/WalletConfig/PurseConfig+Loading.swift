import Foundation
import PurseCore
import X402

extension PurseConfig {
    /// The config path: `--config`, else `PURSE_CONFIG`, else `$XDG_CONFIG_HOME/purse/config.json`
    /// (`~/.config/purse/config.json`).
    public static func defaultPath(explicit: String?, environment: [String: String]) -> String {
        if let explicit { return explicit }
        if let p = environment["PURSE_CONFIG"], !p.isEmpty { return p }
        if let x = environment["XDG_CONFIG_HOME"], !x.isEmpty { return x + "/purse/config.json" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/purse/config.json"
    }

    /// Loads the file at `path`; a missing file gives the defaults only when `mustExist` is false.
    public static func load(path: String, mustExist: Bool) throws(ConfigError) -> PurseConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            if mustExist { throw ConfigError(.unreadable, key: "", "no config file at \(path)") }
            return PurseConfig()
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(.unreadable, key: "", "cannot read \(path)")
        }
        var config = try parse(Array(data))
        config.sourcePath = path
        return config
    }

    /// Parses the JSON text of a config file.
    public static func parse(_ bytes: [UInt8]) throws(ConfigError) -> PurseConfig {
        let doc: JSONValue
        do { doc = try JSONParser(maxDepth: 16, maxBytes: 1 << 20).parse(bytes) } catch {
            throw ConfigError(.notJSON, key: "", "the file is not valid JSON: \(error.message)")
        }
        let r = Reader()
        let root = try r.object(doc, "")
        try r.only(root, ["$schema", "key", "networks", "policy", "http", "payment", "discovery", "upstreams", "db", "dbPasswordEnv"], "")
        var c = PurseConfig()
        if let k = root["key"] { (c.key, c.solanaKey) = try r.keys(k) }
        if let n = root["networks"] {
            let o = try r.object(n, "networks")
            for m in o.members {
                let path = "networks.\(m.key)"
                guard let net = Network.parse(m.key), let family = net.family, net.caip2 == m.key else {
                    throw ConfigError(.badValue, key: path, "network ids are CAIP-2 ids of EVM or Solana networks, such as eip155:84532 or \(Network.solanaDevnet)")
                }
                c.networks[m.key] = try r.network(m.value, path, family: family)
            }
        }
        if let p = root["policy"] { c.policy = try r.policy(p) }
        if let h = root["http"] {
            let o = try r.object(h, "http")
            try r.only(o, ["maxBodyBytes", "connectTimeoutMs", "timeoutMs", "proxy", "caFile"], "http")
            if let v = o["maxBodyBytes"] { c.http.maxBodyBytes = try r.int(v, "http.maxBodyBytes", 1_024...(256 << 20)) }
            if let v = o["connectTimeoutMs"] { c.http.connectTimeoutMs = try r.int(v, "http.connectTimeoutMs", 100...120_000) }
            if let v = o["timeoutMs"] { c.http.timeoutMs = try r.int(v, "http.timeoutMs", 100...600_000) }
            if let v = o["proxy"] {
                let s = try r.string(v, "http.proxy")
                if s != "direct" {
                    guard s.hasPrefix("http://") || s.hasPrefix("https://") || s.hasPrefix("socks5://") || s.hasPrefix("socks5h://") else {
                        throw ConfigError(.badValue, key: "http.proxy", "use \"direct\" or a proxy URL (http://, https://, socks5://)")
                    }
                    c.http.proxy = s
                }
            }
            if let v = o["caFile"] { c.http.caFile = try r.string(v, "http.caFile") }
        }
        if let p = root["payment"] {
            let o = try r.object(p, "payment")
            try r.only(o, ["validityCeilingSeconds", "maxPaidAttempts", "approvalTimeoutSeconds", "approvalValiditySeconds", "signIn", "offerSigners"], "payment")
            if let v = o["validityCeilingSeconds"] { c.payment.validityCeilingSeconds = Int64(try r.int(v, "payment.validityCeilingSeconds", 10...3_600)) }
            if let v = o["maxPaidAttempts"] { c.payment.maxPaidAttempts = try r.int(v, "payment.maxPaidAttempts", 1...5) }
            if let v = o["approvalTimeoutSeconds"] { c.payment.approvalTimeoutSeconds = try r.int(v, "payment.approvalTimeoutSeconds", 5...3_600) }
            if let v = o["approvalValiditySeconds"] { c.payment.approvalValiditySeconds = try r.int(v, "payment.approvalValiditySeconds", 5...86_400) }
            if let v = o["signIn"] {
                guard case let .bool(b) = v else { throw ConfigError(.wrongType, key: "payment.signIn", "must be true or false, got \(v.typeName)") }
                c.payment.signIn = b
            }
            if let v = o["offerSigners"] {
                let hosts = try r.object(v, "payment.offerSigners")
                for m in hosts.members {
                    let path = "payment.offerSigners.\(m.key)"
                    let host = try r.hostPattern(m.key, path)
                    guard !host.hasPrefix("*.") else { throw ConfigError(.badValue, key: path, "offerSigners takes exact host names") }
                    var keys: [Address] = []
                    for (i, s) in try r.strings(m.value, path).enumerated() {
                        guard let a = try? Address(parsing: s) else {
                            throw ConfigError(.badValue, key: "\(path)[\(i)]", "'\(s)' is not a 0x-prefixed 20-byte address")
                        }
                        keys.append(a)
                    }
                    c.payment.offerSigners[HostName(host)] = keys
                }
            }
        }
        if let d = root["discovery"] { c.discovery = try r.discovery(d) }
        if let u = root["upstreams"] { c.upstreams = try r.upstreams(u) }
        if let d = root["db"] { c.db = try r.string(d, "db") }
        if let d = root["dbPasswordEnv"] {
            let name = try r.string(d, "dbPasswordEnv")
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }),
                  !(48...57).contains(name.utf8.first!) else {
                throw ConfigError(.badValue, key: "dbPasswordEnv", "the name of an environment variable (letters, digits, _), not a password")
            }
            c.dbPasswordEnv = name
        }
        return c
    }
}

/// Reads typed values out of config JSON, naming the key in every error.
private struct Reader {
    func object(_ v: JSONValue, _ key: String) throws(ConfigError) -> JSONObject {
        guard case let .object(o) = v else { throw ConfigError(.wrongType, key: key, "must be an object, got \(v.typeName)") }
        return o
    }

    func only(_ o: JSONObject, _ allowed: Set<String>, _ prefix: String) throws(ConfigError) {
        for k in o.keys where !allowed.contains(k) {
            let path = prefix.isEmpty ? k : "\(prefix).\(k)"
            throw ConfigError(.unknownKey, key: path, "unknown key (allowed here: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ v: JSONValue, _ key: String) throws(ConfigError) -> String {
        guard case let .string(s) = v else { throw ConfigError(.wrongType, key: key, "must be a string, got \(v.typeName)") }
        guard !s.isEmpty else { throw ConfigError(.badValue, key: key, "must not be empty") }
        return s
    }

    func int(_ v: JSONValue, _ key: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let i = v.int64Value else { throw ConfigError(.wrongType, key: key, "must be an integer, got \(v.typeName)") }
        guard let n = Int(exactly: i), range.contains(n) else {
            throw ConfigError(.badValue, key: key, "\(i) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return n
    }

    func strings(_ v: JSONValue, _ key: String) throws(ConfigError) -> [String] {
        guard case let .array(a) = v else { throw ConfigError(.wrongType, key: key, "must be an array of strings, got \(v.typeName)") }
        var out = [String]()
        for (i, e) in a.enumerated() { out.append(try string(e, "\(key)[\(i)]")) }
        return out
    }

    /// A decimal amount such as "0.10" in micro-units. Numbers are refused: money is written as strings.
    func amount(_ v: JSONValue, _ key: String) throws(ConfigError) -> Micros {
        guard case let .string(s) = v else {
            throw ConfigError(.wrongType, key: key, "amounts are decimal strings such as \"0.10\", got \(v.typeName)")
        }
        guard let micros = try? Micros(parsing: s) else {
            throw ConfigError(.badValue, key: key, "\"\(s)\" is not a decimal amount with at most 6 decimals, such as \"0.10\"")
        }
        return micros
    }

    func hostPattern(_ s: String, _ key: String) throws(ConfigError) -> String {
        let h = s.lowercased()
        let body = h.hasPrefix("*.") ? String(h.dropFirst(2)) : h
        guard !body.isEmpty, !body.contains("*"), body.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "[" || $0 == "]") }) else {
            throw ConfigError(.badValue, key: key, "'\(s)' is not a host name or a *.domain pattern")
        }
        return h
    }

    /// `discovery`: catalog base URLs (http or https, no query or fragment, no duplicates; a
    /// trailing slash is dropped) and the per-endpoint timeout.
    func discovery(_ v: JSONValue) throws(ConfigError) -> DiscoveryConfig {
        let o = try object(v, "discovery")
        try only(o, ["endpoints", "timeoutMs"], "discovery")
        var d = DiscoveryConfig()
        if let e = o["endpoints"] {
            let list = try strings(e, "discovery.endpoints")
            guard list.count <= DiscoveryConfig.maxEndpoints else {
                throw ConfigError(.badValue, key: "discovery.endpoints", "at most \(DiscoveryConfig.maxEndpoints) endpoints")
            }
            var seen = Set<String>()
            d.endpoints = []
            for (i, raw) in list.enumerated() {
                let key = "discovery.endpoints[\(i)]"
                let lower = raw.lowercased()
                guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), raw.utf8.count <= 2_048,
                      !raw.contains("?"), !raw.contains("#"), raw.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7f })
                else {
                    throw ConfigError(.badValue, key: key, "'\(raw.prefix(80))' is not a catalog base URL (http:// or https://, without query or fragment)")
                }
                var base = raw
                while base.hasSuffix("/") { base.removeLast() }
                guard let sep = base.range(of: "://"), !base[sep.upperBound...].isEmpty else {
                    throw ConfigError(.badValue, key: key, "'\(raw.prefix(80))' has no host")
                }
                guard seen.insert(base.lowercased()).inserted else { throw ConfigError(.badValue, key: key, "'\(base)' is listed twice") }
                d.endpoints.append(base)
            }
        }
        if let t = o["timeoutMs"] { d.timeoutMs = try int(t, "discovery.timeoutMs", 100...120_000) }
        return d
    }

    /// `key`: the EVM key source (`file`, or `keystore` and its password) and, beside it or
    /// alone, `solana`: `{"file": PATH}`.
    func keys(_ v: JSONValue) throws(ConfigError) -> (KeyConfig?, SolanaKeyConfig?) {
        var o = try object(v, "key")
        var solana: SolanaKeyConfig?
        if let s = o["solana"] {
            let so = try object(s, "key.solana")
            try only(so, ["file"], "key.solana")
            guard let f = so["file"] else { throw ConfigError(.missingKey, key: "key.solana.file", "give the Solana keypair file: {\"file\": PATH}") }
            solana = .file(try string(f, "key.solana.file"))
            o["solana"] = nil
            if o.members.isEmpty { return (nil, solana) }
        }
        return (try key(.object(o)), solana)
    }

    /// `upstreams`: NAME → a stdio command (absolute path, args, env) or a Streamable HTTP URL
    /// (with headers). The child's env may not name Purse's own variables (`PURSE_*`): the key
    /// and the config stay Purse's.
    func upstreams(_ v: JSONValue) throws(ConfigError) -> [UpstreamConfig] {
        let o = try object(v, "upstreams")
        guard o.members.count <= UpstreamConfig.maxUpstreams else {
            throw ConfigError(.badValue, key: "upstreams", "at most \(UpstreamConfig.maxUpstreams) upstreams")
        }
        var out = [UpstreamConfig]()
        for m in o.members {
            let path = "upstreams.\(m.key)"
            guard UpstreamConfig.isValidName(m.key) else {
                throw ConfigError(.badValue, key: path, "upstream names match \(UpstreamConfig.namePattern) (lower-case letters, digits and '-', starting with a letter, at most 32)")
            }
            let u = try object(m.value, path)
            switch (u["command"], u["url"]) {
            case (nil, nil):
                throw ConfigError(.missingKey, key: path, "give either {\"command\": \"/abs/path\", \"args\": [...], \"env\": {...}} or {\"url\": \"https://.../mcp\", \"headers\": {...}}")
            case (_?, _?):
                throw ConfigError(.badValue, key: path, "give either command (stdio) or url (Streamable HTTP), not both")
            case let (c?, nil):
                try only(u, ["command", "args", "env"], path)
                let command = try string(c, "\(path).command")
                guard command.hasPrefix("/"), !command.contains("\0") else {
                    throw ConfigError(.badValue, key: "\(path).command", "must be an absolute path (no PATH search: the human names the program)")
                }
                var args = [String]()
                if let a = u["args"] {
                    guard case let .array(items) = a else { throw ConfigError(.wrongType, key: "\(path).args", "must be an array of strings, got \(a.typeName)") }
                    for (i, item) in items.enumerated() {
                        guard case let .string(s) = item, !s.contains("\0") else {
                            throw ConfigError(.wrongType, key: "\(path).args[\(i)]", "must be a string without NUL, got \(item.typeName)")
                        }
                        args.append(s)
                    }
                }
                var env = [String: String]()
                if let e = u["env"] {
                    for em in try object(e, "\(path).env").members {
                        let key = "\(path).env.\(em.key)"
                        guard let first = em.key.utf8.first, !(0x30...0x39).contains(first),
                              em.key.utf8.allSatisfy({ $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
                        else { throw ConfigError(.badValue, key: key, "environment names are letters, digits and '_', not starting with a digit") }
                        guard !em.key.uppercased().hasPrefix("PURSE_") else {
                            throw ConfigError(.badValue, key: key, "an upstream never gets Purse's own variables (PURSE_*): the key and config stay Purse's")
                        }
                        guard case let .string(s) = em.value, !s.contains("\0") else {
                            throw ConfigError(.wrongType, key: key, "must be a string without NUL, got \(em.value.typeName)")
                        }
                        env[em.key] = s
                    }
                }
                out.append(UpstreamConfig(name: m.key, transport: .stdio(command: command, args: args, env: env)))
            case let (nil, url?):
                try only(u, ["url", "headers"], path)
                let s = try string(url, "\(path).url")
                let lower = s.lowercased()
                guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), s.utf8.count <= 2_048,
                      !s.contains("#"), s.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7f })
                else { throw ConfigError(.badValue, key: "\(path).url", "must be an http:// or https:// URL of the MCP endpoint, without fragment") }
                var headers = [(String, String)]()
                if let h = u["headers"] {
                    for hm in try object(h, "\(path).headers").members {
                        let key = "\(path).headers.\(hm.key)"
                        let token = Set("!#$%&'*+.^_`|~-".utf8)
                        guard !hm.key.isEmpty, hm.key.utf8.count <= 256,
                              hm.key.utf8.allSatisfy({ token.contains($0) || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
                        else { throw ConfigError(.badValue, key: key, "is not an HTTP header name") }
                        let reserved = ["content-type", "accept", "content-length", "mcp-session-id", "mcp-protocol-version", "host", "transfer-encoding"]
                        guard !reserved.contains(hm.key.lowercased()) else {
                            throw ConfigError(.badValue, key: key, "is set by Purse's MCP client")
                        }
                        guard case let .string(value) = hm.value, !value.contains("\r"), !value.contains("\n"), !value.contains("\0") else {
                            throw ConfigError(.wrongType, key: key, "must be a string without line breaks")
                        }
                        headers.append((hm.key, value))
                    }
                }
                out.append(UpstreamConfig(name: m.key, transport: .http(url: s, headers: headers)))
            }
        }
        return out
    }

    func key(_ v: JSONValue) throws(ConfigError) -> KeyConfig {
        let o = try object(v, "key")
        if let f = o["file"] {
            try only(o, ["file"], "key")
            return .file(try string(f, "key.file"))
        }
        if let k = o["keystore"] {
            try only(o, ["keystore", "passwordEnv", "passwordCommand", "passwordCommandTimeoutSeconds"], "key")
            let path = try string(k, "key.keystore")
            switch (o["passwordEnv"], o["passwordCommand"]) {
            case let (env?, nil):
                if o["passwordCommandTimeoutSeconds"] != nil {
                    throw ConfigError(.badValue, key: "key.passwordCommandTimeoutSeconds", "applies to key.passwordCommand only")
                }
                return .keystore(path: path, password: .environment(try string(env, "key.passwordEnv")))
            case let (nil, command?):
                if case .string = command {
                    throw ConfigError(.wrongType, key: "key.passwordCommand", "must be an array (no shell parses it): the program, then each argument, such as [\"pass\", \"show\", \"purse\"]")
                }
                let argv = try strings(command, "key.passwordCommand")
                guard !argv.isEmpty else {
                    throw ConfigError(.badValue, key: "key.passwordCommand", "give the command as an array: the program, then its arguments, such as [\"secret-tool\", \"lookup\", \"service\", \"purse\"]")
                }
                var timeout = KeystorePassword.defaultCommandTimeoutSeconds
                if let t = o["passwordCommandTimeoutSeconds"] {
                    timeout = try int(t, "key.passwordCommandTimeoutSeconds", KeystorePassword.commandTimeoutRange)
                }
                return .keystore(path: path, password: .command(argv: argv, timeoutSeconds: timeout))
            case (_?, _?):
                throw ConfigError(.badValue, key: "key.passwordCommand", "give key.passwordEnv or key.passwordCommand, not both")
            case (nil, nil):
                throw ConfigError(.missingKey, key: "key.passwordEnv", "a keystore needs its password: \"passwordEnv\": NAME (an environment variable) or \"passwordCommand\": [PROGRAM, ARG…] (a command that prints it)")
            }
        }
        throw ConfigError(.missingKey, key: "key", "give either {\"file\": PATH} or {\"keystore\": PATH, \"passwordEnv\": NAME} (or \"passwordCommand\": [PROGRAM, ARG…] instead of passwordEnv)")
    }

    func network(_ v: JSONValue, _ path: String, family: ChainFamily) throws(ConfigError) -> NetworkConfig {
        let o = try object(v, path)
        try only(o, family == .solana ? ["rpcUrl", "assets", "maxComputeUnitPrice"] : ["rpcUrl", "assets"], path)
        var cap: UInt64?
        if let x = o["maxComputeUnitPrice"] {
            cap = UInt64(try int(x, "\(path).maxComputeUnitPrice", 0...Int(NetworkConfig.defaultMaxComputeUnitPrice)))
        }
        var rpc: String?
        if let r = o["rpcUrl"] {
            let s = try string(r, "\(path).rpcUrl")
            guard s.hasPrefix("http://") || s.hasPrefix("https://") else {
                throw ConfigError(.badValue, key: "\(path).rpcUrl", "must be an http:// or https:// URL")
            }
            rpc = s
        }
        var assets = [AssetConfig]()
        if let a = o["assets"] {
            guard case let .array(items) = a else { throw ConfigError(.wrongType, key: "\(path).assets", "must be an array, got \(a.typeName)") }
            for (i, item) in items.enumerated() {
                let ap = "\(path).assets[\(i)]"
                let ao = try object(item, ap)
                try only(ao, family == .solana ? ["address", "decimals", "symbol"] : ["address", "name", "version", "decimals", "symbol"], ap)
                func need(_ k: String) throws(ConfigError) -> JSONValue {
                    guard let x = ao[k] else { throw ConfigError(.missingKey, key: "\(ap).\(k)", "is required") }
                    return x
                }
                let address = try string(try need("address"), "\(ap).address")
                if family == .solana {
                    // An SPL mint: base58 of 32 bytes; no EIP-712 domain. Its decimals are read
                    // from the chain when paying; the configured ones price the budget.
                    guard (try? ChainAccount(parsing: address, family: .solana)) != nil else {
                        throw ConfigError(.badValue, key: "\(ap).address", "'\(address)' is not a base58 Solana mint address")
                    }
                    assets.append(AssetConfig(
                        address: address, name: "", version: "", decimals: try int(try need("decimals"), "\(ap).decimals", 0...18),
                        symbol: try ao["symbol"].map { (s) throws(ConfigError) in try string(s, "\(ap).symbol") } ?? "TOKEN"))
                    continue
                }
                guard (try? Address(parsing: address)) != nil else {
                    throw ConfigError(.badValue, key: "\(ap).address", "'\(address)' is not a 0x-prefixed 20-byte address")
                }
                assets.append(AssetConfig(
                    address: address, name: try string(try need("name"), "\(ap).name"),
                    version: try string(try need("version"), "\(ap).version"),
                    decimals: try int(try need("decimals"), "\(ap).decimals", 0...36),
                    symbol: try ao["symbol"].map { (s) throws(ConfigError) in try string(s, "\(ap).symbol") } ?? "TOKEN"))
            }
        }
        return NetworkConfig(rpcUrl: rpc, assets: assets, maxComputeUnitPrice: cap)
    }

    func policy(_ v: JSONValue) throws(ConfigError) -> PolicyConfig {
        let o = try object(v, "policy")
        try only(o, ["maxPerRequest", "sessionBudget", "dailyBudget", "confirmAbove", "hosts", "perHost", "allowNetworks", "allowAssets"], "policy")
        var p = PolicyConfig()
        if let x = o["maxPerRequest"] { p.maxPerRequest = try amount(x, "policy.maxPerRequest") }
        if let x = o["sessionBudget"] { p.sessionBudget = try amount(x, "policy.sessionBudget") }
        if let x = o["dailyBudget"] { p.dailyBudget = try amount(x, "policy.dailyBudget") }
        if let x = o["confirmAbove"], !x.isNull { p.confirmAbove = try amount(x, "policy.confirmAbove") }
        if let h = o["hosts"] {
            let ho = try object(h, "policy.hosts")
            try only(ho, ["allow", "deny"], "policy.hosts")
            if let a = ho["allow"] {
                p.allowHosts = []
                for (i, s) in try strings(a, "policy.hosts.allow").enumerated() { p.allowHosts.append(try hostPattern(s, "policy.hosts.allow[\(i)]")) }
            }
            if let d = ho["deny"] {
                p.denyHosts = []
                for (i, s) in try strings(d, "policy.hosts.deny").enumerated() { p.denyHosts.append(try hostPattern(s, "policy.hosts.deny[\(i)]")) }
            }
        }
        if let ph = o["perHost"] {
            let pho = try object(ph, "policy.perHost")
            for m in pho.members {
                let path = "policy.perHost.\(m.key)"
                let host = try hostPattern(m.key, path)
                guard !host.hasPrefix("*.") else { throw ConfigError(.badValue, key: path, "perHost takes exact host names") }
                let lo = try object(m.value, path)
                try only(lo, ["daily"], path)
                guard let d = lo["daily"] else { throw ConfigError(.missingKey, key: "\(path).daily", "is required") }
                p.perHostDaily[HostName(host)] = try amount(d, "\(path).daily")
            }
        }
        if let n = o["allowNetworks"] {
            var list = [String]()
            for (i, s) in try strings(n, "policy.allowNetworks").enumerated() {
                guard let net = Network.parse(s), net.family != nil else {
                    throw ConfigError(.badValue, key: "policy.allowNetworks[\(i)]", "'\(s)' is not a known EVM or Solana network (use CAIP-2 such as eip155:84532 or \(Network.solanaDevnet))")
                }
                list.append(net.caip2)
            }
            p.allowNetworks = list
        }
        if let a = o["allowAssets"] {
            let list = try strings(a, "policy.allowAssets")
            for (i, s) in list.enumerated() where (try? ChainAccount(parsing: s)) == nil {
                throw ConfigError(.badValue, key: "policy.allowAssets[\(i)]", "'\(s)' is not a token address")
            }
            p.allowAssets = list
        }
        return p
    }
}
