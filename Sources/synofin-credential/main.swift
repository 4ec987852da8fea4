import Glibc
import SynofinCredential

// Thin on purpose: all behaviour lives in the SynofinCredential library, where tests reach it.
exit(Program.run(arguments: Array(CommandLine.arguments.dropFirst())))
