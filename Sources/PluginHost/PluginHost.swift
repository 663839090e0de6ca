// PluginHost: see README.md in this folder.
