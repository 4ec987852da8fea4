// swift-tools-version:6.0
// The helper is one library with all the logic (what the tests import), one thin executable,
// and one small target per C library. libcurl and libsecret are loaded at run time so that a
// cached `get` pays for neither and the binary runs where they are not installed.
import PackageDescription

let package = Package(
    name: "synofin-credential",
    products: [
        .executable(name: "synofin-credential", targets: ["synofin-credential"])
    ],
    targets: [
        .systemLibrary(name: "CSodium", path: "Sources/CSodium"),
        .target(name: "CCurl", path: "Sources/CCurl", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CSecret", path: "Sources/CSecret", linkerSettings: [.linkedLibrary("dl")]),
        .target(
            name: "SynofinCredential",
            dependencies: ["CSodium", "CCurl", "CSecret"],
            path: "Sources/SynofinCredential",
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "synofin-credential",
            dependencies: ["SynofinCredential"],
            path: "Sources/synofin-credential",
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(
            name: "SynofinCredentialTests",
            dependencies: ["SynofinCredential"],
            path: "Tests/SynofinCredentialTests",
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
