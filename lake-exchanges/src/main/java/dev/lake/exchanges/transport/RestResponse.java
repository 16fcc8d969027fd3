package dev.lake.exchanges.transport;

/**
 * A successful REST response.
 *
 * @param status the HTTP status (2xx)
 * @param body the body bytes
 * @param receivedMicros when the body had arrived, epoch microseconds
 */
public record RestResponse(int status, byte[] body, long receivedMicros) {}
