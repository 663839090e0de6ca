// NotesApp: a small notes app that embeds Sandpiper's plugin host. It loads ./plugins, runs a
// short scripted session (creates and saves notes, runs macros), and prints what each plugin
// did and the audit report. Run from the repository root: `make demo`.

import Foundation
import MicroPythonRuntime
import PluginHost

let demo = NotesAppDemo(root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
exit(await demo.run())
