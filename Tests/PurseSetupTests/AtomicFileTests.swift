import Foundation
import PurseTesting
import Testing
@testable import PurseSetup

/// Files appear complete or not at all, existing ones are replaced only when asked, backups
/// never overwrite each other.
@Suite struct AtomicFileTests {
    /// This test's directory, removed when the test ends.
    let scratch: ScratchDirectory
    var dir: String { scratch.path }

    init() throws { scratch = try ScratchDirectory("purse-atomic") }

    func contents(_ path: String) -> String? { FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } }

    @Test func writesWithTheModeAndRefusesToReplaceUnlessAsked() throws {
        let path = dir + "/f.json"
        try AtomicFile.write(Array("one".utf8), to: path, mode: 0o600, replace: false)
        var st = stat()
        stat(path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        let error = #expect(throws: SetupError.self) { try AtomicFile.write(Array("two".utf8), to: path, mode: 0o600, replace: false) }
        #expect(error?.code == "file.exists")
        #expect(contents(path) == "one")
        try AtomicFile.write(Array("three".utf8), to: path, mode: 0o644, replace: true)
        #expect(contents(path) == "three")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["f.json"], "no temporary file left")
    }

    @Test func backupsAreStampedAndNeverReplaced() throws {
        let path = dir + "/h.json"
        try AtomicFile.write(Array("v1".utf8), to: path, mode: 0o644, replace: false)
        let now = Date(timeIntervalSince1970: 0)
        let first = try AtomicFile.backup(path, now: now)
        let second = try AtomicFile.backup(path, now: now)
        #expect(first == path + ".purse-backup-19700101T000000Z")
        #expect(second == first + "-1")
        #expect(contents(first) == "v1" && contents(second) == "v1")
    }

    @Test func aMissingDirectoryIsAWriteError() {
        let error = #expect(throws: SetupError.self) { try AtomicFile.write([1], to: dir + "/no/such/dir/f", mode: 0o600, replace: false) }
        #expect(error?.code == "file.write_failed")
    }

    @Test func ensureDirectoryCreatesParents() throws {
        try AtomicFile.ensureDirectory(dir + "/a/b/c", mode: 0o700)
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir + "/a/b/c", isDirectory: &isDir) && isDir.boolValue)
    }
}
