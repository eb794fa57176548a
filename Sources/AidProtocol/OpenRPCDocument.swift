/// The protocol's OpenRPC document (`protocol/openrpc.json`), which `rpc.discover` returns and
/// from which the daemon takes the order of positional params.
public enum OpenRPCDocument {}
