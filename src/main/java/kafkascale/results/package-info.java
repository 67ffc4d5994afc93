/**
 * Exact counts by survey month: the messages on the results topic and the ledger that the results role
 * rebuilds from them. Plain Java: no Camel, no Kafka client.
 *
 * <h2>How the roles use it</h2>
 * <ul>
 * <li><b>Reader</b>, per run: write {@link kafkascale.results.RunStarted} (key {@code runs}). Per source:
 * open it, {@code chunker.surveyMonth()} (empty: the source fails as {@code unknown-month}, no attempt),
 * write {@link kafkascale.results.AttemptStarted} (key {@code month/yyyy-MM}) and wait for its
 * acknowledgement, then send the chunks to compute with the attempt id, month, seq and chunk size as
 * headers; at the end write {@link kafkascale.results.AttemptFinished} with {@code chunker.digest()},
 * status OK only if every record was read and sent (FAILED otherwise, with the error). Last,
 * {@link kafkascale.results.RunFinished} listing every source's outcome (key {@code runs}); exit non-zero
 * if any source failed or was missing.</li>
 * <li><b>Compute</b>, per polled batch and attempt: write {@link kafkascale.results.ChunkResults} (an
 * entry per chunk) under {@code ResultsMessage.monthKey(month)}. The ledger still reads
 * {@link kafkascale.results.ChunkResult}, one chunk a message, as older versions wrote it.</li>
 * <li><b>Results</b>: check the topic with {@link kafkascale.results.ResultsTopicRetention#problem} at start
 * (create it with {@link kafkascale.results.ResultsTopicRetention#CREATE_CONFIGS}); read every partition
 * from the start; {@code ledger.apply(value, recordTimestamp)} each record; a
 * {@link kafkascale.results.PoisonMessage} goes to the results dead-letter topic with its
 * {@code reason().tag()} and the replay goes on. Serve {@code ledger.results()} and
 * {@code ledger.progress()}.</li>
 * </ul>
 */
package kafkascale.results;
