// `ByteSize`: sizes such as 64M, 512K, 1G or 4096.

import Testing
import MicroPythonRuntime

@Suite("ByteSize")
struct ByteSizeTests {
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
        #expect(ByteSize.parse(text) == bytes, "\(text)")
    }

    @Test(arguments: ["", " ", "K", "M", "-1", "-1M", "1.5M", "lots", "M64", "9223372036854775807K", "99999999999G", "1 M"])
    func invalidSizes(_ text: String) {
        #expect(ByteSize.parse(text) == nil, "\(text.debugDescription) parsed as \(String(describing: ByteSize.parse(text)))")
    }

    /// An unknown last character is an error, not dropped ("12Q" is not 12 bytes).
    @Test(arguments: ["12Q", "64X", "5%", "10s", "64Mi", "iB", "1iB", "MB", "+5", "٣M"])
    func unknownSuffixesAreRejected(_ text: String) {
        #expect(ByteSize.parse(text) == nil, "\(text) parsed as \(String(describing: ByteSize.parse(text)))")
    }

    /// The binary-unit spellings people write mean the same as K, M and G.
    @Test(arguments: [("64MB", 64 << 20), ("64MiB", 64 << 20), ("2KiB", 2 << 10), ("1gib", 1 << 30)] as [(String, Int)])
    func unitSpellings(_ text: String, _ bytes: Int) {
        #expect(ByteSize.parse(text) == bytes, "\(text)")
    }
}
