import Foundation
internal import GRDB

/// Copies committed pages from the write-ahead log into the database file on a connection and a thread of
/// their own. SQLite otherwise checkpoints inside the commit that fills the log: in a bulk ingest, the
/// writer, which is what ingest waits on, stopped at every commit for as long as the commit itself and
/// the checkpoint's fsyncs took (a quarter of surveys' ingest time on the 1M corpus).
final class BackgroundCheckpoints: Sendable {
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "voc.store.checkpoints")

    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Starts a checkpoint after the ones already asked for. Passive: it copies what no reader still needs
    /// and never blocks the writer, whose next transaction goes on appending to the log meanwhile.
    func request() {
        queue.async { [connection, frames] in
            let result = try? connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
            frames.set(result?.walFrameCount ?? 0)
        }
    }

    /// Frames in the log when the last checkpoint ran: how long the log has grown since it last started over.
    var logFrames: Int { frames.get() }
    private let frames = LockedCount()

    /// Returns once every requested checkpoint is done.
    func wait() { queue.sync {} }

    deinit { wait() }
}

/// A count one thread sets and another reads (Synchronization's `Mutex` needs macOS 15; the package
/// supports 14).
private final class LockedCount: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func set(_ newValue: Int) { lock.withLock { value = newValue } }
    func get() -> Int { lock.withLock { value } }
}
