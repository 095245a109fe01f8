package dev.atrest.keyservice.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import org.junit.jupiter.api.Test;

/**
 * The service draws every transaction one way: {@code @Transactional} on a bean method, including a
 * package-private step that the same bean calls ({@code KeyHealth.check} reads in one transaction, asks
 * KMS outside any, and records in another). That relies on Quarkus intercepting self-invocation, which
 * plain CDI does not; this test fails if a Quarkus upgrade ever stops doing it.
 */
@QuarkusTest
class TransactionIdiomTest {
    @Inject
    Flow flow;

    @Test
    void selfInvokedStep_runsInATransactionOfItsOwn() {
        assertThat(flow.run()).containsExactly("no transaction", "step in a transaction", "no transaction");
    }

    @ApplicationScoped
    static class Flow {
        @Inject
        TransactionManager transactions;

        String[] run() {
            String before = state("no transaction", "already in a transaction");
            String during = step();
            return new String[] {before, during, state("no transaction", "transaction left open")};
        }

        @Transactional(TxType.REQUIRES_NEW)
        String step() {
            return state("step without a transaction", "step in a transaction");
        }

        private String state(String outside, String inside) {
            try {
                return transactions.getStatus() == Status.STATUS_ACTIVE ? inside : outside;
            } catch (SystemException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
