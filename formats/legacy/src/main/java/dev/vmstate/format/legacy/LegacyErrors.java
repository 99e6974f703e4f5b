package dev.vmstate.format.legacy;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.error.VersionException;
import dev.vmstate.error.VmstateException;

/** Factories for the legacy format's errors, so every one names the format and an offset. */
final class LegacyErrors {
    static final String FORMAT = "legacy";

    private LegacyErrors() {
    }

    static MalformedStreamException malformed(String message, long offset) {
        return (MalformedStreamException) new MalformedStreamException(message).atOffset(offset).inFormat(FORMAT);
    }

    static VersionException version(String message, long offset) {
        return (VersionException) new VersionException(message).atOffset(offset).inFormat(FORMAT);
    }

    static VmstateException in(VmstateException e, String section) {
        if (section != null) {
            e.inSection(section);
        }
        return e.inFormat(FORMAT);
    }
}
