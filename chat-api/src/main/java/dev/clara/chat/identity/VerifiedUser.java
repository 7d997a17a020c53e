package dev.clara.chat.identity;

/**
 * A signed-in user whose identity the workspace's secret vouched for.
 *
 * @param externalId the site's user id
 * @param traitsJson a flat JSON object, or null when none was sent
 */
public record VerifiedUser(String externalId, String name, String email, String traitsJson) {
}
