import PurseCLI

/// The `purse` executable: parses the command line and hands over to `PurseCLI`.
@main
struct PurseMain {
    static func main() async {
        await PurseCommand.main()
    }
}
