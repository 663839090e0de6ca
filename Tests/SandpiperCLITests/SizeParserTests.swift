// `SizeParser`: sizes such as 64M, 512K, 1G or 4096.

import Testing
@testable import SandpiperCLI

@Suite("SizeParser")
struct SizeParserTests {
    @Test(arguments: [
        ("0", 0),
        ("4096", 4096),
        ("1K", 1 << 10),
        ("512K", 512 << 10),
        ("512k", 512 << 10),
        ("64M", 64 << 20),
        ("64m", 64 << 20),
        ("1G", 1 << 30),
        ("3g", 3 << 30),
        ("100B", 100),
        (" 8M ", 8 << 20),
    ] as [(String, Int)])
    func validSizes(_ text: String, _ bytes: Int) {
        #expect(SizeParser.parse(text) == bytes, "\(text)")
    }

    @Test(arguments: ["", " ", "K", "M", "-1", "-1M", "1.5M", "lots", "M64", "9223372036854775807K", "99999999999G", "1 M"])
    func invalidSizes(_ text: String) {
        #expect(SizeParser.parse(text) == nil, "\(text.debugDescription) parsed as \(String(describing: SizeParser.parse(text)))")
    }

    /// Known issue: any unknown last character is dropped, so these parse as plain byte counts.
    @Test(arguments: ["12Q", "64X", "5%", "10s"])
    func unknownSuffixesAreRejected(_ text: String) {
        withKnownIssue("SizeParser drops an unknown suffix: \(text) parses as \(String(describing: SizeParser.parse(text)))") {
            #expect(SizeParser.parse(text) == nil)
        }
    }

    /// Binary-unit spellings are not accepted (the usage text only promises K, M and G).
    @Test(arguments: ["64MB", "64MiB", "64Mi", "2KiB"])
    func unitSpellingsBeyondKMG(_ text: String) {
        #expect(SizeParser.parse(text) == nil, "\(text) parsed as \(String(describing: SizeParser.parse(text)))")
    }
}
