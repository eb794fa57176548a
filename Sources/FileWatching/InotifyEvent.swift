#if canImport(Glibc)
import Glibc
#endif

/// One decoded `struct inotify_event`.
struct InotifyEvent: Sendable, Hashable {
    var watchDescriptor: Int32
    var mask: UInt32
    var cookie: UInt32
    /// The entry name inside the watched directory; empty for events about
    /// the directory itself and for queue overflow.
    var name: String

    /// The inotify mask bits used by the watcher (values from <sys/inotify.h>,
    /// spelled out so the decoding can be tested on any platform).
    enum Mask {
        static let closeWrite: UInt32 = 0x0000_0008
        static let movedFrom: UInt32 = 0x0000_0040
        static let movedTo: UInt32 = 0x0000_0080
        static let create: UInt32 = 0x0000_0100
        static let delete: UInt32 = 0x0000_0200
        static let deleteSelf: UInt32 = 0x0000_0400
        static let moveSelf: UInt32 = 0x0000_0800
        static let unmount: UInt32 = 0x0000_2000
        static let queueOverflow: UInt32 = 0x0000_4000
        static let ignored: UInt32 = 0x0000_8000
        static let onlyDirectory: UInt32 = 0x0100_0000
        static let dontFollow: UInt32 = 0x0200_0000
        static let excludeUnlinked: UInt32 = 0x0400_0000
        static let isDirectory: UInt32 = 0x4000_0000

        /// What every directory watch asks for.
        static let watched: UInt32 = closeWrite | movedFrom | movedTo | create | delete | deleteSelf
            | moveSelf | onlyDirectory | dontFollow | excludeUnlinked
    }

    func has(_ bit: UInt32) -> Bool { mask & bit != 0 }

    /// Size of the fixed part of `struct inotify_event`.
    static let headerSize = 16

    /// Decodes the events in a buffer filled by `read(2)` on an inotify fd.
    static func decode(_ buffer: UnsafeRawBufferPointer) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var offset = 0
        while offset + headerSize <= buffer.count {
            let wd = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameStart = offset + headerSize
            guard nameStart + length <= buffer.count else { break }
            let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[nameStart..<(nameStart + length)])
            let end = nameBytes.firstIndex(of: 0) ?? nameBytes.count
            let name = String(decoding: nameBytes[..<end], as: UTF8.self)
            events.append(InotifyEvent(watchDescriptor: wd, mask: mask, cookie: cookie, name: name))
            offset = nameStart + length
        }
        return events
    }

    /// Encodes events in the kernel's layout (used to test the decoder and
    /// the event handling without a kernel queue).
    static func encode(_ events: [InotifyEvent]) -> [UInt8] {
        var bytes: [UInt8] = []
        for event in events {
            var name = Array(event.name.utf8)
            if !name.isEmpty {
                name.append(0)
                while name.count % 4 != 0 { name.append(0) }
            }
            withUnsafeBytes(of: event.watchDescriptor.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: event.mask.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: event.cookie.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: UInt32(name.count).littleEndian) { bytes += $0 }
            bytes += name
        }
        return bytes
    }
}
