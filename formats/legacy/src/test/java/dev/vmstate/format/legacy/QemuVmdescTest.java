package dev.vmstate.format.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmstate.schema.Field;
import dev.vmstate.schema.Schema;
import dev.vmstate.visitor.Hint;
import dev.vmstate.visitor.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Schemas derived from QEMU 7.2's own vmdesc keys (issue #7; docs/formats/legacy.md §5.1). */
class QemuVmdescTest {
    private static Schema parse(String devices, String idstr, int version) {
        String json = "{\"page_size\": 4096, \"devices\": [" + devices + "]}";
        return LegacyDescription.parse(json.getBytes(StandardCharsets.UTF_8)).source().find(idstr, 0, version);
    }

    @Test
    void qemuTypesWithoutAVmstateKindAreBuffersOfTheirSize() {
        Schema s = parse("{\"name\": \"d\", \"instance_id\": 0, \"vmsd_name\": \"d\", \"version\": 2, \"fields\": ["
                + "{\"name\": \"config[0]\", \"type\": \"pci config\", \"size\": 256}, "
                + "{\"name\": \"version_id\", \"type\": \"int32 le\", \"size\": 4}, "
                + "{\"name\": \"cap\", \"type\": \"uint8 equal\", \"size\": 1}, "
                + "{\"name\": \"ptr\", \"type\": \"uint64\", \"size\": 1}, "
                + "{\"name\": \"t\", \"type\": \"timer\", \"size\": 8}, "
                + "{\"name\": \"tmp\", \"type\": \"tmp\", \"vmsd_name\": \"x\", \"version\": 0, \"fields\": [], \"size\": 10}, "
                + "{\"name\": \"r\", \"array_len\": 16, \"type\": \"uint64\", \"size\": 8}]}", "d", 2);
        assertThat(s).isNotNull();
        assertThat(s.member("config[0]").kind()).isEqualTo(Kind.BUFFER);
        assertThat(s.member("config[0]").size()).isEqualTo(256);
        assertThat(s.member("version_id").kind()).isEqualTo(Kind.I32);
        assertThat(s.member("cap").kind()).isEqualTo(Kind.U8);
        assertThat(s.member("ptr").kind()).isEqualTo(Kind.BUFFER);
        assertThat(s.member("ptr").size()).isEqualTo(1);
        assertThat(s.member("t").hint()).isEqualTo(Hint.TIMER);
        assertThat(s.member("tmp").size()).isEqualTo(10);
        assertThat(s.member("r").kind()).isEqualTo(Kind.ARRAY);
        assertThat(s.member("r").length()).isEqualTo(16);
    }

    @Test
    void indexedEntriesBecomeOneStructArray() {
        String port = "\"type\": \"struct\", \"struct\": {\"vmsd_name\": \"port\", \"version\": 1, \"fields\": "
                + "[{\"name\": \"a\", \"type\": \"uint32\", \"size\": 4}]}, \"size\": 4}";
        Schema s = parse("{\"name\": \"d\", \"instance_id\": 0, \"vmsd_name\": \"d\", \"version\": 1, \"fields\": ["
                + "{\"name\": \"dev\", \"index\": 0, " + port + ", {\"name\": \"dev\", \"index\": 1, " + port
                + ", {\"name\": \"n\", \"type\": \"uint8\", \"size\": 1}]}", "d", 1);
        assertThat(s.members()).extracting(Field::name).containsExactly("dev", "n");
        assertThat(s.member("dev").kind()).isEqualTo(Kind.STRUCT);
        assertThat(s.member("dev").length()).isEqualTo(2);
        assertThat(s.member("dev").struct().name()).isEqualTo("port");
    }

    @Test
    void anOldStyleDeviceIsItsDataBufferAtAnyVersion() {
        Schema s = parse("{\"name\": \"slirp\", \"instance_id\": 0, \"size\": 130, \"fields\": "
                + "[{\"name\": \"data\", \"size\": 130, \"type\": \"buffer\"}]}", "slirp", 4);
        assertThat(s).isNotNull();
        assertThat(s.version()).isEqualTo(4);
        assertThat(s.members()).extracting(Field::name, Field::size).containsExactly(
                org.assertj.core.groups.Tuple.tuple("data", 130));
    }

    @Test
    void everyRealQemuVmdescParses() throws Exception {
        for (String name : new String[] {"pc-i440fx-7.2-devices", "pc-q35-7.2-virtio", "pc-i440fx-2.3-devices"}) {
            byte[] json = Files.readAllBytes(QemuStreams.dir().resolve(name + ".desc.json"));
            LegacyDescription.Parsed p = LegacyDescription.parse(json);
            assertThat(p.source().find("timer", 0, 2)).as(name).isNotNull();
            assertThat(p.source().find("slirp", 0, 4)).as(name).isNotNull();
        }
    }
}
