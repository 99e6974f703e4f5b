package dev.vmstate.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmstate.error.MalformedStreamException;
import dev.vmstate.visitor.AllKinds;
import dev.vmstate.visitor.Visitables;
import org.junit.jupiter.api.Test;

class SchemaJsonTest {
    @Test
    void exportThenImportGivesTheSameSchema() {
        Schema s = Visitables.describe("allkinds", 3, 1, new AllKinds());
        String json = SchemaJson.toJson(s);
        assertThat(SchemaJson.fromJson(json)).isEqualTo(s);
    }

    @Test
    void jsonIsShapedLikeQemuVmdesc() {
        Schema s = Visitables.describe("allkinds", 3, 1, new AllKinds());
        String json = SchemaJson.toJson(s);
        assertThat(json).startsWith("{\n  \"vmsd_name\": \"allkinds\",\n  \"version\": 3,\n  \"minimum_version\": 1,");
        assertThat(json).contains("\"name\": \"u16\",\n      \"type\": \"uint16\",\n      \"size\": 2");
        assertThat(json).contains("\"name\": \"regs\",\n      \"type\": \"uint32\",\n      \"array_len\": 3");
        assertThat(json).contains("\"name\": \"pair\",\n      \"type\": \"struct\",\n      \"array_len\": 2");
        assertThat(json).contains("\"subsections\": [");
        assertThat(json).contains("\"hint\": {\n        \"flags\": [\"ready\", \"busy\", \"error\"]");
    }

    @Test
    void importRejectsBadInputNamingTheJsonPath() {
        assertThatThrownBy(() -> SchemaJson.fromJson("{\"vmsd_name\": \"x\", \"version\": 1, \"fields\": ["
                + "{\"name\": \"a\", \"type\": \"uint7\"}]}"))
                .isInstanceOf(MalformedStreamException.class)
                .hasMessage("$.fields[0].type: unknown type \"uint7\"");
        assertThatThrownBy(() -> SchemaJson.fromJson("{\"vmsd_name\": \"x\", \"version\": \"one\"}"))
                .isInstanceOf(MalformedStreamException.class)
                .hasMessage("$.version: expected an integer, found the string \"one\"");
        assertThatThrownBy(() -> SchemaJson.fromJson("{\"vmsd_name\": "))
                .isInstanceOf(MalformedStreamException.class)
                .hasMessageStartingWith("invalid JSON");
    }
}
