import Foundation
import Testing
@testable import WasmInterpreter

/// Malformed input must give a typed error, never a crash or a runaway allocation.
@Suite("Decoding hostile binaries")
struct DecoderRobustnessTests {
    /// A deterministic generator so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Decodes and validates; any `ModuleError` is fine, success is fine, a crash is not.
    static func tryCompile(_ bytes: [UInt8]) {
        _ = try? CompiledModule(bytes: bytes)
    }

    static func specModules(limit: Int) -> [[UInt8]] {
        guard TestPaths.hasSpecSuite else { return [] }
        let folder = TestPaths.specSuite.appendingPathComponent("json")
        let files = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".wasm") }.sorted()
        return files.prefix(limit).compactMap { try? [UInt8](Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    @Test func emptyAndTinyInputs() {
        for n in 0..<12 where n != 8 {  // exactly the header is a valid empty module
            let header: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60]
            let bytes = Array(header.prefix(n))
            #expect(throws: ModuleError.self) { try CompiledModule(bytes: bytes) }
        }
    }

    @Test func hugeLengthFieldsDoNotAllocate() {
        // A type section claiming 2^32-1 types, and a vector of 0xFFFFFFFF locals.
        let types: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        #expect(throws: ModuleError.self) { try CompiledModule(bytes: types) }
        let locals: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
                               10, 9, 1, 7, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x0B]
        #expect(throws: ModuleError.self) { try CompiledModule(bytes: locals) }
    }

    @Test(.enabled(if: TestPaths.hasGuest, "guest not fetched: run `make guest`"))
    func truncatedGuest() throws {
        let guest = [UInt8](try Data(contentsOf: TestPaths.guest))
        var rng = SplitMix(state: 1)
        let boundaries = Self.sectionBoundaries(guest)
        var cuts = [1, 7, 9, 10, 100, guest.count - 1, guest.count / 2]
        for _ in 0..<40 { cuts.append(Int.random(in: 1..<guest.count, using: &rng)) }
        // Cutting exactly between sections (the bare header included) leaves a well-formed module.
        for cut in cuts where !boundaries.contains(cut) {
            #expect(throws: ModuleError.self, "cut at \(cut)") { try CompiledModule(bytes: Array(guest.prefix(cut))) }
        }
        #expect(boundaries.contains(8))
    }

    /// Offsets where a section ends (and the next begins), from the header on.
    static func sectionBoundaries(_ bytes: [UInt8]) -> Set<Int> {
        var result: Set<Int> = [8]
        var at = 8
        while at < bytes.count {
            at += 1  // section id
            var size = 0, shift = 0
            while at < bytes.count {
                let b = bytes[at]; at += 1
                size |= Int(b & 0x7F) << shift; shift += 7
                if b & 0x80 == 0 { break }
            }
            at += size
            result.insert(at)
        }
        return result
    }

    @Test(.enabled(if: TestPaths.hasGuest, "guest not fetched: run `make guest`"))
    func bitFlippedGuest() throws {
        let guest = [UInt8](try Data(contentsOf: TestPaths.guest))
        var rng = SplitMix(state: 2)
        for _ in 0..<60 {
            var copy = guest
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 8..<copy.count, using: &rng)
                copy[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            }
            Self.tryCompile(copy)
        }
    }

    @Test(.enabled(if: TestPaths.hasSpecSuite, "spec suite absent: ../shared/wasm-spec is not next to this checkout"))
    func mutatedSpecModules() {
        var rng = SplitMix(state: 3)
        for module in Self.specModules(limit: 4000) where module.count > 8 {
            // Truncate, flip a bit, and splice random bytes.
            Self.tryCompile(Array(module.prefix(Int.random(in: 0..<module.count, using: &rng))))
            var flipped = module
            let i = Int.random(in: 8..<module.count, using: &rng)
            flipped[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            Self.tryCompile(flipped)
            var spliced = module
            let at = Int.random(in: 8...module.count, using: &rng)
            spliced.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            Self.tryCompile(spliced)
        }
    }

    @Test func randomBytesAfterAValidHeader() {
        var rng = SplitMix(state: 4)
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<200, using: &rng)
            let bytes: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0] + (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            Self.tryCompile(bytes)
        }
    }

    @Test func internalOpcodesMatchWasmNumericOpcodesByName() {
        for wasm in WasmOpcode.allCases where wasm.isNumeric {
            let op = Op.numericByWasmOpcode[Int(wasm.rawValue)]
            #expect(op.map { String(describing: $0) } == String(describing: wasm))
        }
    }
}
