package dev.atrest.keyservice.domain;

import java.time.Instant;

/**
 * A CMK change that has not finished: how many of the project's master keys are already under the new
 * root key.
 *
 * @param lastError why the last attempt stopped, in KMS's words; null if it did not
 */
public record CmkChangeProgress(int masterKeysRewrapped, int masterKeysTotal, Instant startedTime, String lastError) {}
