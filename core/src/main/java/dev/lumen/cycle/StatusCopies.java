package dev.lumen.cycle;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Deep copies of status objects (mutable beans), so a cycle can build the next status without
 * touching the one the store holds.
 */
final class StatusCopies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusCopies() {}

  @SuppressWarnings("unchecked")
  static <S> S copy(S status) {
    return (S) JSON.convertValue(status, status.getClass());
  }
}
