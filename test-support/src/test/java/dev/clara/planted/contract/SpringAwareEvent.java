package dev.clara.planted.contract;

import org.springframework.stereotype.Component;

/** Planted: an event contract that depends on Spring. */
@Component
public record SpringAwareEvent(String id) {
}
