/** Response header that marks an injected fault. */
export const FAULT_INJECTED_HEADER = "x-slng-emulator-fault-injected";
/** Internal marker: the in-process fetch turns a response carrying it into a network error. */
export const DROP_MARKER_HEADER = "x-slng-emulator-dropped";
