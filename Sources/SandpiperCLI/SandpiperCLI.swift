// SandpiperCLI: the commands of the `sandpiper` executable as a testable library.
