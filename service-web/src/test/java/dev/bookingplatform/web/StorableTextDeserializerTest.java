package dev.bookingplatform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorableTextDeserializerTest {

    @Test
    void textAnyScriptCanWriteIsKept() {
        assertThat(StorableTextDeserializer.refusal("Ada Lovelace")).isNull();
        assertThat(StorableTextDeserializer.refusal("Zoë 李 \uD83D\uDE00 می\u200Cخواهم")).isNull();
        assertThat(StorableTextDeserializer.refusal("")).isNull();
    }

    @Test
    void theNulCharacterAndUnpairedSurrogatesAreRefused() {
        assertThat(StorableTextDeserializer.refusal("Ada\u0000")).contains("NUL");
        assertThat(StorableTextDeserializer.refusal("\uD800")).contains("unpaired surrogate").contains("d800");
        assertThat(StorableTextDeserializer.refusal("Ada \uD83D")).contains("d83d");
        assertThat(StorableTextDeserializer.refusal("\uDE00Ada")).contains("de00");
        assertThat(StorableTextDeserializer.refusal("\uDE00\uD83D")).contains("de00");
    }
}
