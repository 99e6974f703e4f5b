package dev.vmstate.format.legacy;

/**
 * The numbers of QEMU's savevm stream version 3, named as QEMU names them
 * (qemu/qemu:migration/savevm.c, migration/ram.c, QEMU 7.2; see docs/formats/legacy.md).
 *
 * @since 0.1
 */
public final class LegacyConstants {
    /** "QEVM". */
    public static final int QEMU_VM_FILE_MAGIC = 0x5145564d;
    public static final int QEMU_VM_FILE_VERSION_COMPAT = 0x00000002;
    public static final int QEMU_VM_FILE_VERSION = 0x00000003;

    public static final int QEMU_VM_EOF = 0x00;
    public static final int QEMU_VM_SECTION_START = 0x01;
    public static final int QEMU_VM_SECTION_PART = 0x02;
    public static final int QEMU_VM_SECTION_END = 0x03;
    public static final int QEMU_VM_SECTION_FULL = 0x04;
    public static final int QEMU_VM_SUBSECTION = 0x05;
    public static final int QEMU_VM_VMDESCRIPTION = 0x06;
    public static final int QEMU_VM_CONFIGURATION = 0x07;
    public static final int QEMU_VM_COMMAND = 0x08;
    public static final int QEMU_VM_SECTION_FOOTER = 0x7e;

    public static final int RAM_SAVE_FLAG_FULL = 0x01;
    public static final int RAM_SAVE_FLAG_ZERO = 0x02;
    public static final int RAM_SAVE_FLAG_MEM_SIZE = 0x04;
    public static final int RAM_SAVE_FLAG_PAGE = 0x08;
    public static final int RAM_SAVE_FLAG_EOS = 0x10;
    public static final int RAM_SAVE_FLAG_CONTINUE = 0x20;
    public static final int RAM_SAVE_FLAG_XBZRLE = 0x40;
    public static final int RAM_SAVE_FLAG_HOOK = 0x80;
    public static final int RAM_SAVE_FLAG_COMPRESS_PAGE = 0x100;
    /** The flag bits live below the page offset: TARGET_PAGE_BITS is 12 on x86. */
    public static final long RAM_FLAGS_MASK = 0xFFF;
    /** ENCODING_FLAG_XBZRLE, the byte before an XBZRLE page's length. */
    public static final int ENCODING_FLAG_XBZRLE = 0x01;

    /** The id string of QEMU's RAM handler, the only iterative section modelled. */
    public static final String RAM_IDSTR = "ram";
    /** The vmdesc key that carries the device tree; QEMU ignores the vmdesc's content. */
    public static final String DEVICE_TREE_KEY = "vmstate_device_tree";
    /** The vmdesc key, in each device entry, that carries the section's whole vmstate schema. */
    public static final String SCHEMA_KEY = "vmstate_schema";
    /** Configuration subsection names QEMU 7.2 knows (savevm.c vmstate_configuration). */
    public static final String CONFIG_PAGE_BITS = "configuration/target-page-bits";
    public static final String CONFIG_CAPABILITIES = "configuration/capabilities";
    public static final String CONFIG_UUID = "configuration/uuid";

    private LegacyConstants() {
    }
}
