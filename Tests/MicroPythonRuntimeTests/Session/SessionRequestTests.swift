// Resident sessions: state between requests, exec/eval/call semantics, per-request output and
// cost, and Python exceptions with the user's traceback.

import Foundation
import Testing
@testable import MicroPythonRuntime

extension SessionSuites {
    @Suite("Session requests")
    struct SessionRequestTests {
        @Test("state is kept across 10,000 calls")
        func tenThousandCalls() async throws {
            let session = try await SessionFixture.session()
            _ = try await session.exec("""
                counter = 0
                def inc(step=1):
                    global counter
                    counter += step
                    return counter
                """)
            let started = ContinuousClock.now
            for i in 1...10_000 {
                let reply = try await session.call("inc")
                guard reply.value == .int(Int64(i)) else {
                    Issue.record("call \(i) returned \(reply.value)")
                    return
                }
            }
            let elapsed = ContinuousClock.now - started
            #expect(try await session.value("counter") == .int(10_000))
            #expect(await session.requestCount >= 10_002)
            print("SESSION: 10,000 calls in \(String(format: "%.0f", sessionMilliseconds(elapsed))) ms (\(String(format: "%.1f", sessionMilliseconds(elapsed) * 1000 / 10_000)) µs per call)")
        }

        @Test("exec runs statements, eval returns values, call passes arguments and keywords")
        func execEvalCall() async throws {
            let session = try await SessionFixture.session()
            let exec = try await session.exec("x = 6 * 7\ndef greet(name, punct='.'):\n    return 'hi ' + name + punct")
            #expect(exec.stdout.isEmpty)
            #expect(try await session.value("x") == .int(42))
            #expect(try await session.value("[x, 'a', None, True, 1.5, (1, 2), {'k': b'\\x00'}]")
                    == .list([42, "a", .none, .bool(true), 1.5, .tuple([1, 2]), .dict(["k": .bytes([0])])]))
            #expect(try await session.call("greet", ["ann"]).value == "hi ann.")
            #expect(try await session.call("greet", ["bo"], keywords: ["punct": "!"]).value == "hi bo!")
            #expect(try await session.call("greet", [], keywords: ["name": "cy", "punct": "?"]).value == "hi cy?")
            // Dotted names reach module attributes.
            _ = try await session.exec("import math")
            #expect(try await session.call("math.sqrt", [16]).value == 4.0)
            // eval of an expression only: statements are a SyntaxError.
            #expect(await pythonException { _ = try await session.eval("y = 1") }?.type == "SyntaxError")
            // interact prints an expression's value like the REPL.
            #expect(try await session.interact("x + 1").stdout == "43\n")
            // Arguments arrive as Python values of the right types.
            _ = try await session.exec("def kinds(*a):\n    return [type(v).__name__ for v in a]")
            let kinds = try await session.call("kinds", [.none, .bool(false), 1, .bigInt("123456789012345678901234567890"), 2.5, "s",
                                                         .bytes([1]), .list([]), .tuple([]), .dict([:])]).value
            #expect(kinds == .list(["NoneType", "bool", "int", "int", "float", "str", "bytes", "list", "tuple", "dict"]))
            // A request without tagged values skips the prelude's decoding pass: the same types.
            let plain = try await session.call("kinds", [.none, .bool(true), 1, 2.5, "s", .list([.dict(["k": .list([1])])]), .dict([:])]).value
            #expect(plain == .list(["NoneType", "bool", "int", "float", "str", "list", "dict"]))
            _ = try await session.exec("def nested(a, *, b):\n    return [a[0]['k'][0] + 1, b['x'], type(b).__name__]")
            #expect(try await session.call("nested", [.list([.dict(["k": .list([41])])])], keywords: ["b": .dict(["x": "y"])]).value
                    == .list([42, "y", "dict"]))
        }

        @Test("each reply's stdout, stderr, fuel and duration belong to that request only")
        func perRequestOutput() async throws {
            let session = try await SessionFixture.session()
            let first = try await session.exec("import sys\nprint('one')\nsys.stderr.write('warn one\\n')")
            #expect(first.stdout == "one\n")
            #expect(first.stderr == "warn one\n")
            let second = try await session.exec("print('two')")
            #expect(second.stdout == "two\n")
            #expect(second.stderr == "")
            let quiet = try await session.eval("1")
            #expect(quiet.stdout == "" && quiet.stderr == "")

            let light = try await session.exec("pass")
            let heavy = try await session.exec("t = 0\nfor i in range(20000):\n    t += i")
            #expect(light.fuelUsed > 0)
            #expect(heavy.fuelUsed > light.fuelUsed * 10, "light \(light.fuelUsed), heavy \(heavy.fuelUsed)")
            let slow = try await session.exec("import time\ntime.sleep_ms(60)")
            #expect(slow.duration >= .milliseconds(55))
            #expect(light.duration < slow.duration)

            // Output printed before an exception comes back with the exception.
            let error = await sessionError { _ = try await session.exec("print('before')\nraise ValueError('after')") }
            guard case .exception(let e, let stdout, _)? = error else {
                Issue.record("expected an exception, got \(String(describing: error))")
                return
            }
            #expect(e.type == "ValueError")
            #expect(stdout == "before\n")
            #expect(try await session.exec("print('clean')").stdout == "clean\n")
        }

        @Test("exceptions carry type, message and the user's traceback without runtime frames")
        func exceptions() async throws {
            let session = try await SessionFixture.session()
            let source = """
                def helper(n):
                    return 10 // n

                def outer():
                    return helper(0)

                outer()
                """
            let e = await pythonException { _ = try await session.exec(source, file: "plugin.py") }
            #expect(e?.type == "ZeroDivisionError")
            #expect(e?.message == "divide by zero")
            let traceback = e?.traceback ?? ""
            #expect(traceback.contains(#"File "plugin.py", line 7"#), "\(traceback)")
            #expect(traceback.contains(#"File "plugin.py", line 5, in outer"#), "\(traceback)")
            #expect(traceback.contains(#"File "plugin.py", line 2, in helper"#), "\(traceback)")
            #expect(!traceback.contains("<stdin>"), "runtime frames leaked: \(traceback)")
            #expect(!traceback.contains("<sandpiper>"), "runtime frames leaked: \(traceback)")
            #expect(traceback.hasPrefix("Traceback (most recent call last):"))
            #expect(traceback.hasSuffix("ZeroDivisionError: divide by zero"), "\(traceback)")

            // A call into a function defined by the plugin: its frames, none of the prelude's.
            _ = try await session.exec("def bad(x):\n    raise KeyError(x)\n", file: "plugin.py")
            let k = await pythonException { _ = try await session.call("bad", ["missing"]) }
            #expect(k?.type == "KeyError")
            #expect(k?.traceback.contains(#"File "plugin.py", line 2, in bad"#) == true, "\(k?.traceback ?? "")")
            #expect(k?.traceback.contains("<stdin>") == false)

            // Custom exception classes keep their names.
            _ = try await session.exec("class PluginFailure(Exception):\n    pass\n", file: "plugin.py")
            let custom = await pythonException { _ = try await session.exec("raise PluginFailure('custom')", file: "plugin.py") }
            #expect(custom?.type == "PluginFailure")
            #expect(custom?.message == "custom")

            // Syntax errors name the file too.
            let syntax = await pythonException { _ = try await session.exec("def broken(:\n    pass", file: "plugin.py") }
            #expect(syntax?.type == "SyntaxError")
            #expect(syntax?.traceback.contains("plugin.py") == true, "\(syntax?.traceback ?? "")")

            // The session is still usable, with its state.
            #expect(try await session.value("outer.__name__") == "outer")
            #expect(try await session.value("1 + 1") == 2)
        }

        @Test("exceptions of every kind leave the session usable", arguments: [
            ("raise ValueError('v')", "ValueError"), ("undefined_name", "NameError"), ("[][1]", "IndexError"),
            ("{}['k']", "KeyError"), ("None.attr", "AttributeError"), ("1 + 'a'", "TypeError"),
            ("import no_such_module", "ImportError"), ("raise SystemExit(3)", "SystemExit"),
            ("raise KeyboardInterrupt", "KeyboardInterrupt"),
            ("x = bytearray(64 * 1024 * 1024)", "MemoryError"), ("assert False, 'nope'", "AssertionError"),
        ])
        func usableAfterException(_ code: String, _ type: String) async throws {
            let session = try await SessionFixture.session()
            _ = try await session.exec("kept = 'yes'")
            let e = await pythonException { _ = try await session.exec(code, file: "plugin.py") }
            #expect(e?.type == type, "\(code) raised \(String(describing: e))")
            #expect(try await session.value("kept") == "yes")
            #expect(try await session.exec("print('alive')").stdout == "alive\n")
        }

        @Test("unbounded recursion raises RuntimeError (or stops the session with a limit), never crashes the host")
        func recursion() async throws {
            let session = try await SessionFixture.session()
            let error = await sessionError { _ = try await session.exec("def f(n):\n    return f(n + 1)\nf(0)", file: "plugin.py") }
            switch error {
            case .exception(let e, _, _)?:
                #expect(e.type == "RuntimeError", "\(e)")
                #expect(try await session.value("1") == 1)
            case .limitExceeded(let limit, _)?:
                print("SESSION: unbounded recursion ended the session with the \(limit) limit instead of a RecursionError")
                #expect(limit == .callDepth || limit == .memory)
            default:
                Issue.record("unexpected result of unbounded recursion: \(String(describing: error))")
            }
        }

        @Test("eval of a value the bridge cannot carry is a TypeError naming its type", arguments: [
            ("object()", "object"), ("{1, 2}", "set"), ("lambda: 1", "function"), ("range(3)", "range"),
            ("[1, object()]", "object"), ("(1, {2})", "set"), 
        ])
        func unsupportedResult(_ expression: String, _ type: String) async throws {
            let session = try await SessionFixture.session()
            let e = await pythonException { _ = try await session.eval(expression) }
            #expect(e?.type == "TypeError")
            #expect(e?.message.contains("'\(type)'") == true, "\(expression): \(String(describing: e))")
            #expect(try await session.value("2") == 2)
        }

        @Test("dicts with non-str keys cannot cross")
        func nonStringKeys() async throws {
            let session = try await SessionFixture.session()
            let e = await pythonException { _ = try await session.eval("{1: 'one'}") }
            #expect(e?.type == "TypeError")
            #expect(e?.message == "dict keys passed to the host must be str, not int")
        }

        @Test("values cross both ways without loss: big ints, floats, bytes, tuples, NUL keys")
        func roundTripsThroughPython() async throws {
            let session = try await SessionFixture.session()
            _ = try await session.exec("def same(v):\n    return v")
            let samples: [PythonValue] = [
                .bigInt("1267650600228229401496703205376"), .bigInt("-1180591620717411303424"),
                .bigInt(String(repeating: "9", count: 120)), .int(.min), .int(.max),
                .bytes([]), .bytes([0, 255, 10, 13]), .tuple([]), .tuple([1, .tuple(["a", .bytes([1])])]),
                .list([.tuple([1]), .dict(["\u{0}t": .list([1])])]), .dict(["\u{0}weird": 1, "plain": .float(.infinity)]),
                .string("quotes \" and \\ and \n and \u{0} and 🐍"), .float(-0.0), .float(1e300), .float(-.infinity),
                .float(0.1), .float(2.5), .float(1e-7),
            ]
            for value in samples {
                let back = try await session.call("same", [value]).value
                #expect(back == value, "\(value) came back as \(back)")
            }
            guard case .float(let z) = try await session.call("same", [.float(-0.0)]).value else { return }
            #expect(z.sign == .minus)
            guard case .float(let nan) = try await session.value("float('nan')") else { return }
            #expect(nan.isNaN)
            // Python computes with what arrives.
            #expect(try await session.call("same", [.bigInt("1267650600228229401496703205376")]).value == (try await session.value("2 ** 100")))
            #expect(try await session.value("2 ** 100 + 1") == .bigInt("1267650600228229401496703205377"))
            #expect(try await session.value("-(2 ** 64)") == .bigInt("-18446744073709551616"))
            #expect(try await session.value("2 ** 63 - 1") == .int(.max))
            #expect(try await session.value("-(2 ** 63)") == .int(.min))
            #expect(try await session.value("bytearray(b'ab')") == .bytes([97, 98]))
            #expect(try await session.value("{'\\x00k': (1, 2)}") == .dict(["\u{0}k": .tuple([1, 2])]))
        }

        @Test("a request larger than the guest's buffer is refused and the session lives on")
        func requestTooLarge() async throws {
            let session = try await SessionFixture.session()
            let error = await sessionError { _ = try await session.exec("# " + String(repeating: "x", count: 300_000)) }
            guard case .requestTooLarge(let bytes, let limit)? = error else {
                Issue.record("expected requestTooLarge, got \(String(describing: error))")
                return
            }
            #expect(bytes > limit)
            #expect(error?.sessionIsAlive == true)
            #expect(try await session.value("3") == 3)
        }

        @Test("close ends the session; later requests throw .closed")
        func close() async throws {
            let session = try await SessionFixture.session()
            _ = try await session.exec("x = 1")
            await session.close()
            let error = await sessionError { _ = try await session.eval("x") }
            guard case .closed? = error else {
                Issue.record("expected .closed, got \(String(describing: error))")
                return
            }
            await session.close() // twice is harmless
        }

        @Test("hidden modules cannot be imported")
        func hiddenModules() async throws {
            let session = try await SessionFixture.session()
            for name in ["machine", "uctypes", "socket", "ssl", "_thread"] {
                let e = await pythonException { _ = try await session.exec("import \(name)") }
                #expect(e?.type == "ImportError", "\(name): \(String(describing: e))")
            }
            #expect(try await session.exec("import json, re, math\nprint(json.dumps([1]))").stdout == "[1]\n")
        }

        /// Plugin code shares the interpreter with the prelude and can undo its refusals
        /// (`__main__._denied`, `sys.modules`); the builtin modules are gone from the guest's own
        /// tables (`HiddenBuiltinModules`), so they still cannot be imported.
        @Test("hidden builtin modules stay hidden when the prelude's refusals are undone")
        func hiddenModulesAfterTampering() async throws {
            let session = try await SessionFixture.session()
            _ = try await session.exec("""
                import __main__, sys, builtins
                __main__._denied.clear()
                builtins.__import__ = __main__._import
                for name in list(sys.modules):
                    if type(sys.modules[name]).__name__ == "_Hidden":
                        del sys.modules[name]
                """)
            for entry in HiddenBuiltinModules.entries {
                #expect(SessionPrelude.hiddenModules.contains(entry.name), "\(entry.name) is refused in Python too")
                let e = await pythonException { _ = try await session.exec("import \(entry.name)") }
                #expect(e?.type == "ImportError", "\(entry.name): \(String(describing: e))")
            }
            #expect(try await session.exec("import sys, os, struct, gc, micropython\nprint('ok')").stdout == "ok\n")
        }

        /// One-shot runs (the user's own scripts) keep every builtin module.
        @Test("one-shot runs keep the builtin modules sessions hide")
        func oneShotRunsKeepThem() throws {
            let names = HiddenBuiltinModules.entries.map(\.name).joined(separator: ", ")
            let result = try loadedPython().run(code: "import \(names)\nprint('ok')", options: .deterministic())
            #expect(result.stdoutText == "ok\n", "\(result.outcome)")
        }
    }
}
