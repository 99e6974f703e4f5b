package dev.vmstate.format.asn1;

/**
 * The identifier octets of {@code docs/formats/vmstate.asn}, as {@code docs/formats/asn1.md}
 * lists them: the module is compiled with {@code IMPLICIT TAGS}, so each tag below replaces the
 * universal tag of the type it labels. Only single-octet identifiers occur (every tag number is
 * below 31).
 */
final class Asn1Constants {
    static final String BER = "asn1-ber";
    static final String DER = "asn1-der";

    /** Bit 6 of an identifier octet: the constructed form. */
    static final int CONSTRUCTED = 0x20;

    // ---- universal
    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int ENUMERATED = 0x0A;
    static final int UTF8_STRING = 0x0C;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    // ---- Record ::= CHOICE, [0]..[10]: constructed context tags, NULL alternatives primitive
    static final int HEADER = 0xA0;
    static final int SCHEMA = 0xA1;
    static final int DEVICE = 0xA2;
    static final int ITERATIVE = 0xA3;
    static final int RAM_BLOCKS = 0xA4;
    static final int PAGE = 0xA5;
    static final int EOS = 0x86;
    static final int SECTION_END = 0xA7;
    static final int COMMAND = 0xA8;
    static final int END = 0x89;
    static final int DESCRIPTION = 0xAA;

    // ---- inside records
    /** {@code DeviceNode.bus [0] UTF8String}. */
    static final int BUS = 0x80;
    /** {@code Device.crc32c [0] UInt32}. */
    static final int CRC32C = 0x80;
    /** {@code Plain.listValue [0]}, {@code Plain.mapValue [1]}. */
    static final int PLAIN_LIST = 0xA0;
    static final int PLAIN_MAP = 0xA1;
    /** {@code PageContent}: zero [0] INTEGER, raw [1] OCTET STRING, xbzrle [2] OCTET STRING. */
    static final int PAGE_ZERO = 0x80;
    static final int PAGE_RAW = 0x81;
    static final int PAGE_XBZRLE = 0x82;

    // ---- Value ::= CHOICE, the state
    /** {@code Float64 ::= [APPLICATION 1] OCTET STRING (SIZE (8))}. */
    static final int FLOAT64 = 0x41;
    /** {@code IntArray ::= [APPLICATION 2] SEQUENCE OF INTEGER}. */
    static final int INT_ARRAY = 0x62;
    /** {@code StructArray ::= [APPLICATION 3] SEQUENCE OF Struct}. */
    static final int STRUCT_ARRAY = 0x63;
    /** {@code Section ::= [APPLICATION 4] SEQUENCE}. */
    static final int SECTION = 0x64;

    /** {@code ChunkType ::= ENUMERATED { start (0), part (1), end (2) }}. */
    static final int CHUNK_START = 0;
    static final int CHUNK_PART = 1;
    static final int CHUNK_END = 2;

    private Asn1Constants() {
    }
}
