package kafkascale.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import kafkascale.kafka.KafkaAdmin.BrokerUnavailableException;
import kafkascale.kafka.KafkaAdmin.NotAuthorizedException;
import kafkascale.kafka.KafkaAdmin.NotFoundException;
import kafkascale.kafka.KafkaAdmin.RejectedException;

/**
 * An admin request that failed, as answered: the HTTP status its failure maps to and a clear message.
 *
 * @param error  what went wrong, for people (never a secret)
 * @param status the HTTP status
 */
public record AdminError(String error, int status) {

    /** Maps a failure of an admin call to its status: the one table of admin error statuses. */
    public static AdminError of(Throwable failure) {
        Throwable e = failure;
        while (e.getCause() != null && !(known(e)) && e.getCause() != e) {
            e = e.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof AdminGuard.RefusedException refused) {
            return new AdminError(message, refused.verdict().status);
        }
        if (e instanceof NotAuthorizedException) {
            return new AdminError(message, 403); // Kafka's ACLs refuse this app's identity that change
        }
        if (e instanceof NotFoundException) {
            return new AdminError(message, 404);
        }
        if (e instanceof RejectedException rejected) {
            return new AdminError(message, rejected.conflict() ? 409 : 400);
        }
        if (e instanceof IllegalArgumentException) {
            return new AdminError(message, 400);
        }
        if (e instanceof JsonProcessingException json) {
            return new AdminError("the body is not the JSON expected: " + json.getOriginalMessage(), 400);
        }
        if (e instanceof BrokerUnavailableException) {
            return new AdminError(message, 503);
        }
        return new AdminError("admin request failed: " + message, 500);
    }

    private static boolean known(Throwable e) {
        return e instanceof AdminGuard.RefusedException || e instanceof NotFoundException || e instanceof NotAuthorizedException || e instanceof RejectedException
                || e instanceof IllegalArgumentException || e instanceof JsonProcessingException
                || e instanceof BrokerUnavailableException;
    }
}
