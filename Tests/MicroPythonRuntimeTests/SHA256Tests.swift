// Tests for the pure-Swift SHA-256 in Sources/MicroPythonRuntime/Guest/SHA256.swift.
// Vectors: FIPS 180 examples (NIST CSRC "Examples with intermediate values") and digests computed
// with Python's hashlib for the padding edge cases.
#if canImport(Foundation)
import Foundation
#endif
import Testing
@testable import MicroPythonRuntime

@Suite("SHA-256")
struct SHA256Tests {
    // MARK: FIPS 180 vectors

    @Test("FIPS 180 short messages", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func fipsVector(message: String, expected: String) {
        #expect(SHA256.hash(Array(message.utf8)).hex == expected)
        #expect(SHA256.hash(message.utf8).hex == expected)
    }

    @Test("FIPS 180: one million 'a'")
    func oneMillionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hash(message).hex == expected)

        // The same message fed in odd-sized pieces.
        var hasher = SHA256()
        var offset = 0
        while offset < message.count {
            let end = min(offset + 997, message.count)
            hasher.update(message[offset..<end])
            offset = end
        }
        #expect(hasher.finalize().hex == expected)
    }

    // MARK: Padding edge cases

    /// Messages of bytes 0, 1, 2, ... around the points where the padding needs one or two blocks.
    @Test("padding edge cases", arguments: [
        (55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
        (56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
        (63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
        (64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
        (65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
    ])
    func paddingEdgeCase(length: Int, expected: String) {
        let message = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
        #expect(SHA256.hash(message).hex == expected)
    }

    // MARK: Incremental updates

    /// bytes[i] = (7 i + 3) mod 256, i in 0..<130; digest from hashlib.
    static let message130 = (0..<130).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    static let message130Digest = "4d5e47a2e8510a314576c238f6ff19d389d3ef3aaaca8b2e530263a5d15741da"

    @Test("one split at every offset equals one-shot")
    func splitAtEveryOffset() {
        let message = Self.message130
        let oneShot = SHA256.hash(message)
        #expect(oneShot.hex == Self.message130Digest)
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(Array(message[..<split]))
            hasher.update(Array(message[split...]))
            #expect(hasher.finalize() == oneShot, "split at \(split)")
        }
    }

    @Test("two splits at every pair of offsets equal one-shot")
    func twoSplits() {
        let message = Self.message130
        let oneShot = SHA256.hash(message)
        for first in stride(from: 0, through: message.count, by: 5) {
            for second in first...message.count {
                var hasher = SHA256()
                message.withUnsafeBytes { bytes in
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[..<first]))
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[first..<second]))
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[second...]))
                }
                #expect(hasher.finalize() == oneShot, "splits at \(first), \(second)")
            }
        }
    }

    @Test("byte-at-a-time and non-contiguous sequences equal one-shot")
    func nonContiguousSequences() {
        let message = Self.message130
        var byteByByte = SHA256()
        for byte in message { byteByByte.update(CollectionOfOne(byte)) }
        #expect(byteByByte.finalize().hex == Self.message130Digest)

        // A lazy map has no contiguous storage: this goes through the chunked slow path.
        let lazy = message.lazy.map { $0 }
        #expect(SHA256.hash(lazy).hex == Self.message130Digest)

        // Longer than the slow path's stack chunk.
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(SHA256.hash(long.lazy.map { $0 }) == SHA256.hash(long))
    }

    @Test("finalize resets the hasher; copies fork the computation")
    func finalizeResetsAndCopiesFork() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        var fork = hasher
        hasher.update(Array("c".utf8))
        #expect(hasher.finalize().hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // After finalize the hasher is fresh.
        #expect(hasher.finalize().hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        fork.update(Array("c".utf8))
        #expect(fork.finalize() == SHA256.hash(Array("abc".utf8)))
    }

    // MARK: Digest

    @Test("Digest hex round trip and parsing")
    func digestHex() throws {
        let hex = "1c054a4d21d4a6589bc568821ebf562889988ddaaf8a17a2e2985a56cf228051"
        let digest = try #require(SHA256.Digest(hex: hex))
        #expect(digest.hex == hex)
        #expect(digest.description == hex)
        #expect(digest.bytes.count == 32)
        #expect(digest.bytes.first == 0x1c)
        #expect(SHA256.Digest(hex: hex.uppercased()) == digest)
        #expect(SHA256.Digest(hex: hex[...]) == digest)
        #expect(SHA256.Digest(bytes: digest.bytes) == digest)

        #expect(SHA256.Digest(hex: "") == nil)
        #expect(SHA256.Digest(hex: String(hex.dropLast())) == nil)
        #expect(SHA256.Digest(hex: hex + "00") == nil)
        #expect(SHA256.Digest(hex: "0x" + hex.dropFirst(2)) == nil)
        #expect(SHA256.Digest(hex: String(hex.dropLast()) + "g") == nil)
        #expect(SHA256.Digest(bytes: [1, 2, 3]) == nil)

        let set: Set = [digest, SHA256.hash([UInt8]()), digest]
        #expect(set.count == 2)
    }

    // MARK: The real guest, when it has been fetched

    #if canImport(Foundation)
    /// `Guest/micropython-wasi.wasm`, found from this file's location (the package root is three levels up).
    static let guestURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Guest/micropython-wasi.wasm")

    @Test("the fetched guest matches its pinned hash",
          .enabled(if: FileManager.default.fileExists(atPath: guestURL.path),
                   "run `make guest` (Scripts/fetch-guest.sh) to fetch the guest"))
    func fetchedGuest() throws {
        let data = try Data(contentsOf: Self.guestURL)
        #expect(data.count == 370_907)
        let digest = data.withUnsafeBytes { SHA256.hash($0) }
        #expect(digest.hex == "1c054a4d21d4a6589bc568821ebf562889988ddaaf8a17a2e2985a56cf228051")
    }
    #endif
}
