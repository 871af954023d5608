public import Foundation

/// Where the package's own files are, for tests that read the shipped lexicons or run the built binary.
/// Shared by the Sentiment, Themes and voc tests (one home for a helper three test targets need).
public enum PackageLocation {
    /// The folder holding Package.swift, found upward from this source file.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The shipped `lexicons/` folder.
    public static var lexicons: String { root.appendingPathComponent("lexicons").path }
}
