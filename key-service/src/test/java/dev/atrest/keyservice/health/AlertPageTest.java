package dev.atrest.keyservice.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.Alert;
import dev.atrest.keyservice.domain.AlertType;
import dev.atrest.keyservice.domain.InvalidArgumentException;
import dev.atrest.keyservice.domain.Violations;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertPageTest {
    private static final Instant OPENED = Instant.parse("2025-03-04T05:06:07.123456Z");

    @Test
    void of_moreThanOnePage_tokenDecodesToLastPosition() {
        List<AlertPage.Item> items = List.of(item(9, OPENED.plusSeconds(2)), item(7, OPENED), item(3, OPENED));

        AlertPage page = AlertPage.of(items, 2);
        AlertPage.Position position = AlertPage.decodeToken(page.nextPageToken(), new Violations());

        assertThat(page.alerts()).extracting(AlertPage.Item::id).containsExactly(9L, 7L);
        assertThat(position).isEqualTo(new AlertPage.Position(OPENED, 7L));
    }

    @Test
    void of_lastPage_noToken() {
        assertThat(AlertPage.of(List.of(item(1, OPENED)), 1).nextPageToken()).isEmpty();
    }

    @Test
    void decodeToken_empty_firstPage() {
        assertThat(AlertPage.decodeToken("", new Violations())).isEqualTo(AlertPage.Position.NONE);
    }

    @Test
    void decodeToken_notOneOfOurs_violationNamesPageToken() {
        for (String bad : new String[] {"%%%", encode("12"), encode("a:1"), encode("5:0"), encode("-1:4"), encode("1:2:3")}) {
            Violations violations = new Violations();
            AlertPage.decodeToken(bad, violations);
            assertThatThrownBy(violations::throwIfAny).as(bad).isInstanceOfSatisfying(InvalidArgumentException.class,
                    e -> assertThat(e.violations()).singleElement()
                            .satisfies(v -> assertThat(v.field()).isEqualTo("page_token")));
        }
    }

    private static AlertPage.Item item(long id, Instant opened) {
        return new AlertPage.Item(id, Alert.open(AlertType.KEY_INVALID, "p1", opened, "detail"));
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
