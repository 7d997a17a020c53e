package dev.clara.chat.answer;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Notices a visitor asking for a person, a call or a demo, in the languages the widget meets most
 * (English, French, Spanish, German, Portuguese, Italian, Dutch). Pure pattern matching: it has to
 * be instant and must not depend on a provider being up. Its precision and recall are measured on
 * a labelled set in {@code EscalationDetectorTests}.
 */
public final class EscalationDetector {

	/** Asking for a human being, in words that do not also describe the product. */
	private static final List<Pattern> ASKS_FOR_A_PERSON = patterns(
			// English
			"\\b(talk|speak|chat|connect|transfer|put) (me )?(to|with|through to) (a |an |the |some |your )?(real |live |actual )?(human|person|agent|someone|somebody|representative|rep|operator|sales|salesperson|support (agent|team|person)|manager|staff|team member|consultant|expert|specialist)",
			"\\b(real|live|actual) (human|person|agent)\\b", "\\bhuman (agent|being|support|operator)\\b",
			"\\b(is there|are there|can i get|can i reach|get me|i want|i need|i'?d like|let me talk to) (a |an |to )?(human|person|agent|representative|operator|someone)\\b",
			"\\b(contact|reach) (a |an |your )?(human|person|sales|support team|representative|agent)\\b",
			"\\bnot (a|another) (bot|robot|machine)\\b", "\\bstop (the )?bot\\b", "\\b(representative|operator)( please| now)?$",
			"^(human|agent|person|representative)( please)?[!.]*$",
			// French
			"\\b(parler|discuter) (a|avec) (un|une|quelqu'?un|un vrai|une vraie|le|la|votre|vos)\\b",
			"\\b(humain|conseiller|conseillere|vraie personne|commercial)\\b",
			// Spanish
			"\\bhablar con (un|una|alguien|el|la|su|un agente|una persona)\\b", "\\b(persona real|agente humano|un humano|asesor|ejecutivo de ventas)\\b",
			// German
			"\\b(mit )?(einem|einer) (menschen|mitarbeiter|mitarbeiterin|berater|beraterin|person)\\b.*\\b(sprechen|reden)\\b",
			"\\b(echten menschen|mitarbeiter sprechen|menschen sprechen)\\b",
			// Portuguese / Italian / Dutch
			"\\bfalar com (um|uma|alguem|o|a|atendente)\\b", "\\b(atendente|pessoa real)\\b",
			"\\bparlare con (un|una|qualcuno|il|la|un operatore)\\b", "\\b(operatore|persona reale)\\b",
			"\\b(spreken met|praten met) (een|iemand|de|een medewerker)\\b", "\\b(medewerker|echt persoon)\\b");

	/** Asking for a call, a meeting or a demo. */
	private static final List<Pattern> ASKS_FOR_A_CALL = patterns(
			"\\b(book|schedule|set up|arrange|organi[sz]e|plan|get|have|hop on|jump on|request) (a |an |me a |us a |some )?(quick |short |brief |free |live |personal(ized)? |discovery |intro(ductory)? |sales |video |phone |15.minute |30.minute )?(call|demo|demonstration|meeting|appointment|consultation|walkthrough|walk-through|zoom|chat with (sales|someone))\\b",
			"\\b(call|phone|ring) me\\b", "\\b(give|can) (me|you) a (call|ring)\\b", "\\bcan (someone|somebody|you|anyone) (call|phone|contact) me\\b",
			"\\b(see|get|want|need|like|request|watch) (a |the )?(live |product )?demo\\b", "\\bdemo (call|please|request)\\b",
			"\\bi'?d like to (meet|discuss|talk)\\b", "\\b(love|like|want|need|appreciate) a (live |quick |short )?demo\\b",
			"\\b(contact|reach out to|get back to|email|e-mail) me\\b", "\\b(talk|speak) to (sales|your sales team|someone in sales)\\b",
			"\\bbooking (link|a call)\\b", "\\bcalendly\\b",
			// French
			"\\b(rendez.?vous|rdv|appel|rappeler|rappelez|une demo|demonstration)\\b",
			// Spanish
			"\\b(agendar|programar|reservar) (una )?(llamada|demo|reunion|cita)\\b", "\\b(llamame|llamenme|me pueden llamar|una llamada)\\b",
			// German
			"\\b(termin|ruckruf|zuruckrufen|anruf|rufen sie mich|vorfuhrung)\\b",
			// Portuguese / Italian / Dutch
			"\\b(agendar|marcar) (uma )?(chamada|demo|reuniao|ligacao)\\b", "\\b(me liga|ligue para mim|uma ligacao)\\b",
			"\\b(prenotare|fissare) (una )?(chiamata|demo|riunione|appuntamento)\\b", "\\b(chiamatemi|mi chiami)\\b",
			"\\b(afspraak|terugbellen|bel me)\\b");

	/** Sentences that mention people or calls without asking for them. */
	private static final List<Pattern> NOT_A_REQUEST = patterns(
			"\\b(don'?t|do not|no need to|never|without) (want to |need to |have to )?(talk|speak|call|book|schedule|meet)\\b",
			"\\b(does|do|can|will) (the |your )?(bot|product|app|platform|software|tool|api|clara) (support|handle|make|place|record|transcribe|integrate)",
			"\\b(api|sdk|webhook|function) call",
			"\\bhow (do|can|does) (i|we|my customers?|users?|visitors?) (book|schedule|call)",
			"\\bdemo (video|recording|account|site|page|environment|data|mode)\\b");

	public boolean asksForEscalation(String message) {
		String text = normalise(message);
		if (matchesAny(NOT_A_REQUEST, text)) {
			return false;
		}
		return matchesAny(ASKS_FOR_A_PERSON, text) || matchesAny(ASKS_FOR_A_CALL, text);
	}

	/** Lower case, accents removed, whitespace collapsed: "Réunion" and "reunion" read the same. */
	static String normalise(String message) {
		String decomposed = Normalizer.normalize(message, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
		return decomposed.toLowerCase(Locale.ROOT).replace('’', '\'').replaceAll("\\s+", " ").trim();
	}

	private static boolean matchesAny(List<Pattern> patterns, String text) {
		for (Pattern pattern : patterns) {
			if (pattern.matcher(text).find()) {
				return true;
			}
		}
		return false;
	}

	private static List<Pattern> patterns(String... regexes) {
		return java.util.Arrays.stream(regexes).map(Pattern::compile).toList();
	}

}
