package dev.clara.chat.answer;

import java.util.List;

/**
 * What the LLM is told about a signed-in visitor besides the conversation: their profile as the
 * site sent it and short summaries of their earlier conversations. Both are data from outside
 * (the site, the visitor's own words): the prompt frames them as such, never as instructions.
 *
 * @param profileJson a JSON object (name, traits), or null
 * @param summaries the summaries of the most recent earlier conversations, newest first
 */
public record VisitorMemory(String profileJson, List<Summary> summaries) {

	/** At most this many earlier conversations are summarised into a prompt, however many there are. */
	public static final int MAX_SUMMARIES = 5;

	/** A summary longer than this is cut (a stored one may come from an LLM that ignored its limit). */
	public static final int MAX_SUMMARY_CHARS = 300;

	/** One earlier conversation: when it was, and what it was about. */
	public record Summary(String date, String text) {
	}

}
