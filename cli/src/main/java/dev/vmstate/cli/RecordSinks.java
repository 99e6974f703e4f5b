package dev.vmstate.cli;

import dev.vmstate.stream.StreamRecord;

/** Record sinks that need no class of their own. */
final class RecordSinks {
    /** Takes every record and prints nothing: for a dump whose only output comes at the end. */
    static final DumpCommand.RecordSink NONE = new DumpCommand.RecordSink() {
        @Override
        public void accept(StreamRecord record) {
        }

        @Override
        public void finish() {
        }
    };

    private RecordSinks() {
    }
}
