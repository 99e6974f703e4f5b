/**
 * Compat filters (#6): how two versions of a device's state convert into each other, so that an
 * older and a newer device model interoperate in both directions and a schema-less stream of an
 * old version can still be read.
 *
 * <h2>Model</h2>
 * A device type has one {@link dev.vmstate.compat.CompatChain}: its current schema (what the
 * device describes today), the oldest version it supports, and one
 * {@link dev.vmstate.compat.Step} per version {@code v -> v + 1}. A step is a list of
 * {@link dev.vmstate.compat.Operation}s, each invertible:
 * <table>
 *   <caption>Operations</caption>
 *   <tr><th>operation</th><th>up ({@code v -> v+1})</th><th>down</th><th>loses</th></tr>
 *   <tr><td>{@link dev.vmstate.compat.Rename}</td><td>new name, same place</td><td>old name</td><td>never</td></tr>
 *   <tr><td>{@link dev.vmstate.compat.Retype}</td><td>integer kind {@code from -> to}</td><td>{@code to -> from}</td>
 *       <td>a number outside the target kind (clamped)</td></tr>
 *   <tr><td>{@link dev.vmstate.compat.Add}</td><td>puts in the default</td><td>drops the member</td>
 *       <td>down: a value other than the default</td></tr>
 *   <tr><td>{@link dev.vmstate.compat.Remove}</td><td>drops the member</td><td>puts back the default</td>
 *       <td>up: a value other than the default</td></tr>
 *   <tr><td>{@link dev.vmstate.compat.MoveIntoSection}</td><td>field into a section's body</td><td>back out</td>
 *       <td>never (an absent section stands for zero values)</td></tr>
 *   <tr><td>{@link dev.vmstate.compat.MoveOutOfSection}</td><td>field out of a section's body</td><td>back in</td>
 *       <td>never</td></tr>
 *   <tr><td>{@link dev.vmstate.compat.Split}</td><td>an integer into bit-range parts</td><td>merged back</td>
 *       <td>bits no part covers; part values wider than their bits</td></tr>
 *   <tr><td>{@link dev.vmstate.compat.Merge}</td><td>parts into one integer</td><td>split again</td>
 *       <td>as split, reversed</td></tr>
 *   <tr><td>{@link dev.vmstate.compat.Transform}</td><td>code</td><td>code</td><td>as declared; checked when lossy</td></tr>
 * </table>
 *
 * <h2>Use</h2>
 * <ul>
 *   <li>destination, stream of version {@code v}: read it with
 *       {@link dev.vmstate.compat.CompatChain#schemaAt(int) schemaAt(v)} if the format carries no
 *       schema, then {@link dev.vmstate.compat.CompatChain#upgrade(dev.vmstate.tree.StateTree.StructValue, int) upgrade};</li>
 *   <li>source, peer loading at most {@code v}:
 *       {@link dev.vmstate.compat.CompatChain#downgrade downgrade}, which fails with a
 *       {@link dev.vmstate.error.LossyDowngradeException} (path, value, target version) when a value
 *       would be lost, unless loss is allowed and reported;</li>
 *   <li>operator bridging two builds: {@link dev.vmstate.compat.CompatJson};</li>
 *   <li>checking two builds against each other before they meet: the static checker,
 *       {@link dev.vmstate.compat.check.CompatChecker} (package {@code dev.vmstate.compat.check});</li>
 *   <li>raising a minimum version: {@link dev.vmstate.compat.CompatChain#removableBelow(int) removableBelow}
 *       lists the steps that can go.</li>
 * </ul>
 * Everything works on visitor-api's generic {@link dev.vmstate.schema.Schema} and
 * {@link dev.vmstate.tree.StateTree}; this package knows no device, format or transport.
 *
 * @since 0.1
 */
package dev.vmstate.compat;
