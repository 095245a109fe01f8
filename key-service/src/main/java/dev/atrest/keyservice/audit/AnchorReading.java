package dev.atrest.keyservice.audit;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the anchor file held when it was read: nothing yet (no file: anchoring is off, or nothing was anchored
 * so far), anchors that all verify under the anchor key, or a file that does not verify (forged, edited or
 * corrupted), which is never trusted in part.
 *
 * @param problem why the file does not verify; empty unless {@code status} is INVALID
 */
public record AnchorReading(Status status, List<ChainAnchor> anchors, String problem) {
    public enum Status { ABSENT, VALID, INVALID }

    public AnchorReading {
        anchors = List.copyOf(anchors);
    }

    public static AnchorReading absent() {
        return new AnchorReading(Status.ABSENT, List.of(), "");
    }

    public static AnchorReading valid(List<ChainAnchor> anchors) {
        return new AnchorReading(Status.VALID, anchors, "");
    }

    public static AnchorReading invalid(String problem) {
        return new AnchorReading(Status.INVALID, List.of(), problem);
    }

    /** {@code chain}'s anchors, oldest (lowest sequence) first. */
    public List<ChainAnchor> of(String chain) {
        return anchors.stream().filter(a -> a.chain().equals(chain))
                .sorted(Comparator.comparingLong(ChainAnchor::sequence)).toList();
    }

    public Optional<ChainAnchor> newest(String chain) {
        List<ChainAnchor> ofChain = of(chain);
        return ofChain.isEmpty() ? Optional.empty() : Optional.of(ofChain.get(ofChain.size() - 1));
    }
}
