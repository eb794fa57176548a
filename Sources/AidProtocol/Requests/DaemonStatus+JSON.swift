// `daemon/status` is what clients poll and what the round-trip benchmark measures: its answer is
// written member by member instead of through Codable (see `JSONWritable`). The keys are the
// synthesized coding keys; DaemonStatusWritingTests fails when a member is added to the type and
// not here.

extension DaemonStatus: JSONWritable {
    public func writeJSON(into out: inout [UInt8]) {
        JSONWriter.writeObject(into: &out) { members in
            members.add("version", version)
            members.add("protocolVersion", protocolVersion)
            members.add("pid", pid)
            members.add("generation", generation)
            members.add("startedAt", startedAt)
            members.add("uptimeSeconds", uptimeSeconds)
            members.add("executable", executable)
            members.add("socketPath", socketPath)
            members.add("stateDirectory", stateDirectory)
            members.add("logFile", logFile)
            members.add("connections", connections)
            members.add("inFlightRequests", inFlightRequests)
            members.add("requestsServed", requestsServed)
            members.add("workspaces", workspaces)
            members.add("configErrors", configErrors)
            members.addIfPresent("indexes", indexes)
        }
    }
}

extension DaemonStatus.Executable: JSONWritable {
    public func writeJSON(into out: inout [UInt8]) {
        JSONWriter.writeObject(into: &out) { members in
            members.add("path", path)
            members.add("inode", inode)
            members.add("modified", modified)
        }
    }
}

extension DaemonStatus.Workspace: JSONWritable {
    public func writeJSON(into out: inout [UInt8]) {
        JSONWriter.writeObject(into: &out) { members in
            members.add("root", root)
            members.add("clients", clients)
        }
    }
}

extension DaemonStatus.Index: JSONWritable {
    public func writeJSON(into out: inout [UInt8]) {
        JSONWriter.writeObject(into: &out) { members in
            members.add("root", root)
            members.add("state", state)
            members.add("files", files)
            members.add("lines", lines)
            members.addIfPresent("buildSeconds", buildSeconds)
            members.add("updates", updates)
            members.addIfPresent("lastUpdateMilliseconds", lastUpdateMilliseconds)
        }
    }
}
