/**
 * The static checker (#6): compares the device types of two builds, schemas and compat steps,
 * and reports every change no step accounts for, in the spirit of QEMU's
 * {@code scripts/vmstate-static-checker.py}.
 *
 * <ul>
 *   <li>{@link dev.vmstate.compat.check.SchemaExport}: one build's device types as one JSON
 *       document ({@code vmstate schema --all --json}), read back for checking;</li>
 *   <li>{@link dev.vmstate.compat.check.CompatChecker}: the rules
 *       ({@link dev.vmstate.compat.check.Rule}), in a {@link dev.vmstate.compat.check.Direction};</li>
 *   <li>{@link dev.vmstate.compat.check.CheckReport}: the {@link dev.vmstate.compat.check.Problem}s
 *       found, each with a {@link dev.vmstate.compat.check.Severity}, the device type, the
 *       versions, the member path and one line of explanation.</li>
 * </ul>
 * The rules, next to QEMU's checks, are in {@code docs/compat.md} ("Static checker"). Nothing
 * here knows a device, a format or the command line.
 *
 * @since 0.1
 */
package dev.vmstate.compat.check;
