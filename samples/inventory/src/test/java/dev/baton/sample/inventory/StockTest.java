package dev.baton.sample.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StockTest {

    private final Stock stock = new Stock();

    @Test
    void an_item_never_written_has_no_units_and_no_token() {
        assertThat(stock.level("widget")).isEqualTo(new Stock.Level("widget", 0, 0));
    }

    @Test
    void a_write_with_the_same_or_a_higher_token_is_admitted() {
        stock.write("widget", 10, 3);
        stock.write("widget", 15, 3);
        assertThat(stock.write("widget", 20, 4)).isEqualTo(new Stock.Level("widget", 20, 4));
    }

    @Test
    void a_write_with_a_lower_token_than_one_written_is_refused_and_changes_nothing() {
        stock.write("widget", 10, 7);
        assertThatThrownBy(() -> stock.write("widget", 99, 6))
                .isInstanceOf(Stock.StaleTokenException.class)
                .hasMessageContaining("token 6 is stale");
        assertThat(stock.level("widget")).isEqualTo(new Stock.Level("widget", 10, 7));
    }
}
