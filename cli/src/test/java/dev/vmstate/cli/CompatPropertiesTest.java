package dev.vmstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.compat.ChainBuilder;
import dev.vmstate.compat.CompatChain;
import dev.vmstate.compat.Conversion;
import dev.vmstate.compat.Loss;
import dev.vmstate.compat.MoveIntoSection;
import dev.vmstate.compat.MoveOutOfSection;
import dev.vmstate.compat.Operation;
import dev.vmstate.compat.Rename;
import dev.vmstate.compat.Step;
import dev.vmstate.device.DeviceRegistry;
import dev.vmstate.device.DeviceType;
import dev.vmstate.schema.Schema;
import dev.vmstate.spi.Formats;
import dev.vmstate.testkit.CompatPropertySuite;
import dev.vmstate.tree.StateTree.StructValue;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * #6: testkit's compat properties for every registered device type, over every version it
 * supports and every built-in format (legacy, json, cbor, asn1-ber, asn1-der): this module is
 * where devices and all of them meet. A type without a history has one version and gets the
 * round trip only.
 */
class CompatPropertiesTest {
    private static final DeviceRegistry REGISTRY = DeviceRegistry.load();

    static List<String> types() {
        return REGISTRY.names();
    }

    @Test
    void everyBuiltInFormatAndSomeHistoryTakePart() {
        assertThat(Formats.builtIn().all().stream().map(f -> f.format().name()))
                .contains("legacy", "json", "cbor", "asn1-ber", "asn1-der");
        assertThat(REGISTRY.types()).filteredOn(t -> t.minimumVersion() < t.version()).extracting(DeviceType::name)
                .contains("mc146818rtc", "i8254", "serial");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void compatProperties(String name) {
        DeviceType<?> type = REGISTRY.get(name);
        CompatPropertySuite.of(new ChainHistory(type.name(), type.compat())).checkAll();
    }

    /** The suite's view of a compat chain (testkit cannot see compat-filters, whose tests use testkit). */
    record ChainHistory(String type, CompatChain chain) implements CompatPropertySuite.History {
        @Override
        public int minimumVersion() {
            return chain.minimumVersion();
        }

        @Override
        public int version() {
            return chain.version();
        }

        @Override
        public Schema schemaAt(int v) {
            return chain.schemaAt(v);
        }

        @Override
        public CompatPropertySuite.Converted upgrade(StructValue tree, int fromVersion, boolean allowLoss) {
            return converted(chain.upgrade(tree, fromVersion, allowLoss));
        }

        @Override
        public CompatPropertySuite.Converted downgrade(StructValue tree, int toVersion, boolean allowLoss) {
            return converted(chain.downgrade(tree, toVersion, allowLoss));
        }

        private static CompatPropertySuite.Converted converted(Conversion c) {
            return new CompatPropertySuite.Converted(c.tree(), c.losses().stream().map(Loss::toString).toList());
        }

        /** The chain rebuilt on the schema of {@code newest}, with the steps below it only. */
        @Override
        public CompatPropertySuite.History endingAt(int newest) {
            if (newest == chain.version()) {
                return this;
            }
            ChainBuilder b = CompatChain.of(chain.schemaAt(newest)).minimum(chain.minimumVersion());
            chain.steps().stream().filter(s -> s.to() <= newest).forEach(b::step);
            return new ChainHistory(type, b.build());
        }

        /** The sections fields move into or out of, and every name a rename gives them in another version. */
        @Override
        public Set<String> movedSections() {
            List<Operation> ops = chain.steps().stream().map(Step::ops).flatMap(List::stream).toList();
            Set<String> names = new HashSet<>();
            for (Operation op : ops) {
                if (op instanceof MoveIntoSection m) {
                    names.add(m.section());
                } else if (op instanceof MoveOutOfSection m) {
                    names.add(m.path().get(m.path().size() - 2));
                }
            }
            for (boolean grew = true; grew; ) {
                grew = false;
                for (Operation op : ops) {
                    if (op instanceof Rename r) {
                        String old = r.path().get(r.path().size() - 1);
                        if (names.contains(old) != names.contains(r.newName())) {
                            grew |= names.add(old) | names.add(r.newName());
                        }
                    }
                }
            }
            return names;
        }
    }
}
