package dev.bookingplatform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

class StorableTextDeserializerTest {

    private final JsonMapper json = JsonMapper.builder()
            .addModule(new SimpleModule().addDeserializer(String.class, new StorableTextDeserializer())).build();

    record Body(String name, List<String> tags, Map<String, String> notes, Object anything) {
    }

    @Test
    void textAnyScriptCanWriteIsKept() {
        assertThat(StorableTextDeserializer.refusal("Ada Lovelace")).isNull();
        assertThat(StorableTextDeserializer.refusal("Zoë 李 \uD83D\uDE00 می\u200Cخواهم")).isNull();
        assertThat(StorableTextDeserializer.refusal("")).isNull();
        Body body = json.readValue("""
                {"name":"Zo\\u00eb \\ud83d\\ude00","tags":["a"],"notes":{"k":"v"},"anything":"x"}""", Body.class);
        assertThat(body.name()).isEqualTo("Zoë \uD83D\uDE00");
    }

    @Test
    void theNulCharacterAndUnpairedSurrogatesAreRefused() {
        assertThat(StorableTextDeserializer.refusal("Ada\u0000")).contains("NUL");
        assertThat(StorableTextDeserializer.refusal("\uD800")).contains("unpaired surrogate").contains("d800");
        assertThat(StorableTextDeserializer.refusal("Ada \uD83D")).contains("d83d");
        assertThat(StorableTextDeserializer.refusal("\uDE00Ada")).contains("de00");
        assertThat(StorableTextDeserializer.refusal("\uDE00\uD83D")).contains("de00");
    }

    @Test
    void everyStringOfABodyIsCheckedAndTheRefusalNamesItsPath() {
        assertRefused("""
                {"name":"Ada\\u0000"}""", "NUL", "[\"name\"]");
        assertRefused("""
                {"tags":["ok","b\\ud800"]}""", "surrogate", "[\"tags\"]", "[1]");
        assertRefused("""
                {"notes":{"k":"\\u0000"}}""", "NUL", "[\"notes\"]", "[\"k\"]");
    }

    private void assertRefused(String body, String reason, String... pathSteps) {
        assertThatThrownBy(() -> json.readValue(body, Body.class))
                .isInstanceOfSatisfying(StorableTextDeserializer.UnstorableTextException.class, refused -> {
                    assertThat(refused.reason()).contains(reason);
                    assertThat(refused.getPathReference()).contains(pathSteps);
                });
    }
}
