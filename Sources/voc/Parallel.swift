import Foundation

enum Parallel {
    /// `transform` over `0..<count` in chunks on every core (child tasks); results come back in index order.
    static func map<T: Sendable>(count: Int, minimumChunk: Int = 256, _ transform: @escaping @Sendable (Int) -> T) async -> [T] {
        await map(count: count, minimumChunk: minimumChunk, state: {}) { _, i in transform(i) }
    }

    /// `map` where each chunk makes one `State` and passes it to every item of the chunk: buffers reused
    /// from item to item instead of allocated per item.
    static func map<T: Sendable, State>(
        count: Int, minimumChunk: Int = 256, state: @escaping @Sendable () -> State, _ transform: @escaping @Sendable (inout State, Int) -> T
    ) async -> [T] {
        let cores = Environment.usableCores
        let chunk = max(minimumChunk, (count + cores * 4 - 1) / (cores * 4))
        return await withTaskGroup(of: (Int, [T]).self) { group in
            var start = 0
            while start < count {
                let range = start..<min(count, start + chunk)
                group.addTask {
                    var local = state()
                    return (range.lowerBound, range.map { transform(&local, $0) })
                }
                start = range.upperBound
            }
            var parts: [(Int, [T])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
