package dev.clara.bench;

import java.util.List;
import java.util.Random;

/**
 * The prose of {@link HandbookPdf}: titles and paragraphs of a home-appliance shop's customer
 * handbook, made from sentence templates and word lists with the given {@link Random}, so the same
 * seed gives the same text. Realistic enough for a parser and a tokenizer (varied words, numbers,
 * sentences of 10–30 words); not meant to be read.
 */
final class HandbookText {

	private static final List<String> CHAPTERS = List.of("Ordering", "Deliveries", "Returns and refunds",
			"Warranty", "Repairs", "Your account", "Payments", "Installation", "Care and cleaning", "Safety",
			"Energy use", "Spare parts", "Gift cards", "Business customers", "Recycling");

	private static final List<String> SECTIONS = List.of("Before you start", "Changing an order",
			"Cancelling an order", "Delivery slots", "Tracking a parcel", "Missing items", "Damaged goods",
			"Refund times", "Proof of purchase", "What the warranty covers", "Booking an engineer",
			"Resetting the appliance", "Error codes", "Updating your address", "Saved cards", "Invoices",
			"Paying in instalments", "Wall mounting", "Water connection", "Descaling", "Filters",
			"Child lock", "Eco mode", "Ordering parts", "Collecting old appliances", "Contacting us");

	private static final List<String> PRODUCTS = List.of("dishwasher", "washing machine", "tumble dryer",
			"fridge freezer", "oven", "induction hob", "cooker hood", "microwave", "kettle", "coffee machine",
			"vacuum cleaner", "air purifier", "dehumidifier", "toaster", "food processor");

	private static final List<String> PARTS = List.of("filter", "door seal", "drain pump", "control panel",
			"heating element", "drum bearing", "water inlet valve", "thermostat", "power cable", "spray arm",
			"cutlery basket", "crumb tray", "water tank", "brush roll", "fan motor");

	private static final List<String> PLACES = List.of("the Orders page of your account", "the app's Settings tab",
			"the order confirmation e-mail", "the service menu on the display", "our help centre",
			"the Returns page", "the delivery note", "the quick start guide", "the rating plate inside the door");

	private static final List<String> PEOPLE = List.of("our customer service team", "the delivery crew",
			"a registered engineer", "the courier", "our returns team", "the installer", "the warehouse team");

	private static final List<String> TEMPLATES = List.of(
			"To %VERB% the %PART% of your %PRODUCT%, open %PLACE% and follow the steps shown there.",
			"Most orders for a %PRODUCT% arrive within %N% working days, and %PEOPLE% will text you a two-hour slot the evening before.",
			"If the %PART% looks worn or cracked, switch the %PRODUCT% off at the wall before you touch it.",
			"You can %VERB% the %PART% yourself in about %N% minutes; the quick start guide shows where the clips are.",
			"Keep the receipt or %PLACE%, because %PEOPLE% will ask for the order number before booking a visit.",
			"A refund for a returned %PRODUCT% reaches the card you paid with within %N% working days of our checking it.",
			"The warranty covers faults in materials and workmanship for %N% years, but not damage from misuse, limescale or a fall.",
			"When the display shows error E%N%, the %PART% is usually blocked; clean it and restart the %PRODUCT%.",
			"We collect your old %PRODUCT% free of charge when we deliver the new one, as long as it is disconnected and empty.",
			"Please allow at least %N% centimetres of space around the %PRODUCT% so that air can flow and the %PART% stays cool.",
			"If %PEOPLE% cannot reach you on the day, the parcel goes back to the depot and you can choose a new slot in %PLACE%.",
			"Descale the %PRODUCT% every %N% weeks in a hard-water area; a descaling tablet costs less than a repair.",
			"Spare parts such as the %PART% are kept in stock for %N% years after a model is discontinued.",
			"For your safety, never run the %PRODUCT% with the %PART% removed, even for a short test.",
			"Business customers can order up to %N% units at once and pay by invoice within thirty days.",
			"You may cancel an order free of charge until it leaves the warehouse, which is usually %N% hours after you pay.",
			"An engineer visit takes about %N% minutes, and %PEOPLE% will bring the parts the %PRODUCT% is most likely to need.",
			"Gift cards can be used for any %PRODUCT% on the site and stay valid for %N% months from the day they are bought.",
			"In eco mode the %PRODUCT% uses up to %N% per cent less energy, although each programme takes longer.",
			"Register the %PRODUCT% in %PLACE% within %N% days of delivery to add a year to the warranty at no cost.");

	private static final List<String> VERBS = List.of("clean", "replace", "check", "remove", "refit", "inspect",
			"reset", "adjust");

	private final Random random;

	HandbookText(Random random) {
		this.random = random;
	}

	String chapterTitle() {
		return pick(CHAPTERS);
	}

	String sectionTitle() {
		String title = pick(SECTIONS);
		return this.random.nextInt(3) == 0 ? title + " for your " + pick(PRODUCTS) : title;
	}

	/** Four to nine sentences about one product. */
	String paragraph() {
		String product = pick(PRODUCTS);
		StringBuilder paragraph = new StringBuilder();
		int sentences = 4 + this.random.nextInt(6);
		for (int i = 0; i < sentences; i++) {
			if (i > 0) {
				paragraph.append(' ');
			}
			paragraph.append(sentence(this.random.nextInt(4) == 0 ? pick(PRODUCTS) : product));
		}
		return paragraph.toString();
	}

	private String sentence(String product) {
		return pick(TEMPLATES).replace("%PRODUCT%", product)
			.replace("%PART%", pick(PARTS))
			.replace("%PLACE%", pick(PLACES))
			.replace("%PEOPLE%", pick(PEOPLE))
			.replace("%VERB%", pick(VERBS))
			.replace("%N%", Integer.toString(2 + this.random.nextInt(28)));
	}

	private String pick(List<String> words) {
		return words.get(this.random.nextInt(words.size()));
	}

}
