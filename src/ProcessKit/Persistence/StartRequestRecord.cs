using ProcessKit.Execution;

namespace ProcessKit.Persistence;

/// <summary>
/// A stored start request: the caller's request id, the instance its start made and a fingerprint of what it asked for
/// (process, business key, data), so that a repeat can be told from another start reusing the id.
/// </summary>
/// <param name="RequestId">The caller's request id.</param>
/// <param name="Instance">The instance the start made.</param>
/// <param name="Fingerprint">A hash of the process id, business key and start data (SHA-256).</param>
internal readonly record struct StartRequestRecord(string RequestId, InstanceId Instance, byte[] Fingerprint);
