// The booted-prelude cache: sessions and templates with the same boot settings fork one booted
// guest, and get only their own modules, setup code and limits; other boot settings boot
// their own.

import Foundation
import Testing
@testable import MicroPythonRuntime
import WasiHost

extension SessionSuites {
    @Suite("Booted preludes shared by boot settings")
    struct SessionPreludeCacheTests {
        /// A guest of its own, so the count of booted preludes is this test's alone.
        static func freshGuest() throws -> MicroPythonGuest {
            let shared = try SessionGuest.load()
            return MicroPythonGuest(path: shared.path, module: shared.module, collectorVerified: shared.collectorVerified)
        }

        static func configuration(setup: String?, modules: [PythonModule] = []) -> SessionConfiguration {
            var c = SessionConfiguration()
            c.setupCode = setup
            c.modules = modules
            return c
        }

        @Test("one boot serves templates and sessions alike; each keeps its own modules and setup")
        func sharedBoot() async throws {
            let guest = try Self.freshGuest()
            #expect(guest.preludes.count == 0)
            let a = try await SessionTemplate.make(guest: guest, configuration: Self.configuration(setup: "tag = 'a'"))
            #expect(guest.preludes.count == 1)
            let b = try await SessionTemplate.make(guest: guest, configuration: Self.configuration(
                setup: "tag = 'b'", modules: [SessionFixture.notesModule]))
            let c = try await PythonSession.start(guest: guest, configuration: Self.configuration(setup: "tag = 'c'"))
            #expect(guest.preludes.count == 1, "the same boot settings boot once")

            let fromA = try await a.makeSession(), fromB = try await b.makeSession()
            #expect(try await fromA.value("tag") == "a")
            #expect(try await fromB.value("tag") == "b")
            #expect(try await c.value("tag") == "c")
            #expect(try await fromB.value("__import__('notes').add('xy')") == 2000)
            for session in [fromA, c] {
                let error = await pythonException { _ = try await session.exec("import notes") }
                #expect(error?.type == "ImportError", "notes belongs to b's template only")
            }
            // What one session does stays in it, and out of the shared boot.
            _ = try await fromA.exec("import sys\nsys.modules['planted'] = 1\nleak = 1")
            let later = try await PythonSession.start(guest: guest, configuration: Self.configuration(setup: nil))
            #expect(try await later.value("'planted' in __import__('sys').modules") == .bool(false))
            #expect(try await later.value("'leak' in globals() or 'tag' in globals()") == .bool(false))
        }

        @Test("a different heap, environment or metering boots its own prelude")
        func bootSettingsAreKeys() async throws {
            let guest = try Self.freshGuest()
            var small = Self.configuration(setup: nil)
            small.limits.heapBytes = 2 << 20
            small.limits.memoryBytes = 32 << 20
            var environment = Self.configuration(setup: nil)
            environment.environment = ["SANDPIPER_TEST_TAG": "seen"]
            var unmetered = Self.configuration(setup: nil)
            unmetered.limits.fuel = nil
            let heap = "__import__('gc').mem_free() + __import__('gc').mem_alloc()"
            let plain = try await PythonSession.start(guest: guest, configuration: Self.configuration(setup: nil))
            let smallSession = try await PythonSession.start(guest: guest, configuration: small)
            let environmentSession = try await PythonSession.start(guest: guest, configuration: environment)
            let unmeteredSession = try await PythonSession.start(guest: guest, configuration: unmetered)
            #expect(guest.preludes.count == 4)

            guard case .int(let plainHeap) = try await plain.value(heap),
                  case .int(let smallHeap) = try await smallSession.value(heap) else {
                Issue.record("the heap sizes are not ints")
                return
            }
            #expect(plainHeap > 7 << 20 && smallHeap < 2 << 20, "\(plainHeap) and \(smallHeap) bytes")
            #expect(try await environmentSession.value("__import__('os').getenv('SANDPIPER_TEST_TAG')") == "seen")
            #expect(try await plain.value("__import__('os').getenv('SANDPIPER_TEST_TAG')") == .none)
            #expect(try await plain.eval("1").fuelUsed > 0)
            #expect(try await unmeteredSession.eval("1").fuelUsed == 0)

            // Past `PreludeCache.capacity` the oldest boot makes room.
            for extra in 0..<(PreludeCache.capacity - 3) {
                var another = Self.configuration(setup: nil)
                another.limits.heapBytes = (3 + extra) << 20
                _ = try await PythonSession.start(guest: guest, configuration: another)
            }
            #expect(guest.preludes.count == PreludeCache.capacity)
        }

        @Test("a file in a mount cannot stand in for a module the prelude imports")
        func bootIgnoresMountedFiles() async throws {
            let guest = try Self.freshGuest()
            var hijack = Self.configuration(setup: nil)
            hijack.mounts = [Mount(guestPath: "/", source: .memory(MemoryDirectory(files: [
                "json.py": "raise ImportError('hijacked')", "binascii.py": "raise ImportError('hijacked')",
            ])))]
            let session = try await PythonSession.start(guest: guest, configuration: hijack)
            #expect(try await session.value("1 + 1") == 2)
            // The prelude's JSON carried that request and reply; the session's own code sees the mount.
            #expect(try await session.value("open('/json.py').read()") == "raise ImportError('hijacked')")
        }

        @Test("limits are checked even when a boot with the same settings is cached")
        func limitsStillChecked() async throws {
            let guest = try Self.freshGuest()
            _ = try await PythonSession.start(guest: guest, configuration: Self.configuration(setup: nil))
            var zeroFuel = Self.configuration(setup: nil)
            zeroFuel.limits.fuel = 0
            do {
                _ = try await SessionTemplate.make(guest: guest, configuration: zeroFuel)
                Issue.record("a template with no fuel was made")
            } catch {
                guard case .bootFailed = error else {
                    Issue.record("expected bootFailed, got \(error)")
                    return
                }
            }
            #expect(guest.preludes.count == 1)
        }
    
        @Test("sessions with different mounts share a boot: one preopened root")
        func mountsShareABoot() async throws {
            let guest = try Self.freshGuest()
            var a = Self.configuration(setup: nil)
            a.mounts = [Mount(guestPath: "/plugin", source: .memory(MemoryDirectory(files: ["a.txt": "from a"])), readOnly: true)]
            var b = Self.configuration(setup: nil)
            b.mounts = [Mount(guestPath: "/plugin", source: .memory(MemoryDirectory(files: ["b.txt": "from b"])), readOnly: true),
                        Mount(guestPath: "/data/notes", source: .memory(MemoryDirectory(files: ["n.txt": "note"])))]
            let sa = try await PythonSession.start(guest: guest, configuration: a)
            let sb = try await PythonSession.start(guest: guest, configuration: b)
            #expect(guest.preludes.count == 1)
            #expect(try await sa.value("open('/plugin/a.txt').read()") == "from a")
            #expect(try await sb.value("open('/plugin/b.txt').read() + open('/data/notes/n.txt').read()") == "from bnote")
            #expect(try await sb.value("sorted(__import__('os').listdir('/data'))") == ["notes"])
            let missing = await pythonException { _ = try await sa.value("open('/data/notes/n.txt').read()") }
            #expect(missing?.type == "OSError", "a's session has no /data")
            let escape = await pythonException { _ = try await sb.value("open('/data/notes/../../plugin/b.txt').read()") }
            #expect(escape?.type == "OSError", "`..` does not leave a mount")
            // Mounts inside one another are preopened each, so they boot apart.
            var nested = Self.configuration(setup: nil)
            nested.mounts = [Mount(guestPath: "/data", source: .memory(MemoryDirectory(files: [:]))),
                             Mount(guestPath: "/data/in", source: .memory(MemoryDirectory(files: ["i.txt": "in"])))]
            let sn = try await PythonSession.start(guest: guest, configuration: nested)
            #expect(guest.preludes.count == 2)
            #expect(try await sn.value("open('/data/in/i.txt').read()") == "in")
            // A template's sessions may mount other folders, but not nest them.
            let template = try await SessionTemplate.make(guest: guest, configuration: a)
            let other = try await template.makeSession(mounts: b.mounts)
            #expect(try await other.value("open('/data/notes/n.txt').read()") == "note")
            do {
                _ = try await template.makeSession(mounts: nested.mounts)
                Issue.record("a session with nested mounts was forked from a template without them")
            } catch {
                guard case .bootFailed = error else {
                    Issue.record("expected bootFailed, got \(error)")
                    return
                }
            }
        }
    }
}
