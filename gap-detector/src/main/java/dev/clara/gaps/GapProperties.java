package dev.clara.gaps;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Settings of the gap detector ({@code clara.gaps.*}); README "Configuration" says how each was
 * chosen. The per-model thresholds (grouping, automatic-closing floor) are columns of
 * {@code embedding_models}, stated once there; only an operator's override is set here.
 *
 * @param consumer this service's name in {@code processed_events}
 * @param groupingThreshold similarity at or above which a new gap joins an open gap's group, for
 * every model; null (the default) = the model's {@code embedding_models.gap_grouping_threshold}
 * @param linkage how similarity to a group is measured
 * @param countUpdateInterval a repeated ask publishes an updated {@code GapDetected} only when it
 * is the gap's first ask in a new interval of this length (UTC-aligned; default one day), so
 * analysts see the count move without one event per ask
 * @param autoCloseMargin added to the workspace's confidence threshold for closing gaps
 * automatically (0 = exactly the threshold the chat answers at); the model's
 * {@code gap_auto_close_floor} still applies: a threshold tuned for answering (where a wrong answer
 * still shows the visitor the pair) can be far too low for closing a gap unseen
 */
@ConfigurationProperties("clara.gaps")
public record GapProperties(@DefaultValue("gap-detector") String consumer, Double groupingThreshold,
		@DefaultValue("nearest") Linkage linkage, @DefaultValue("1d") Duration countUpdateInterval,
		@DefaultValue("0.05") double autoCloseMargin) {

	public GapProperties {
		if (groupingThreshold != null) {
			requireSimilarity(groupingThreshold, "clara.gaps.grouping-threshold");
		}
		if (countUpdateInterval == null || countUpdateInterval.isNegative() || countUpdateInterval.isZero()) {
			throw new IllegalArgumentException("clara.gaps.count-update-interval must be positive");
		}
		if (autoCloseMargin < 0 || autoCloseMargin > 1) {
			throw new IllegalArgumentException("clara.gaps.auto-close-margin must be in [0, 1]");
		}
	}

	/** The defaults declared above, for code that runs without Spring (the CLINC150 measurement). */
	public static GapProperties defaults() {
		return new Binder(new MapConfigurationPropertySource()).bindOrCreate("clara.gaps", GapProperties.class);
	}

	/** The grouping threshold: the override, else the model's from the database. */
	double groupingThreshold(double modelThreshold) {
		return (this.groupingThreshold != null) ? this.groupingThreshold : modelThreshold;
	}

	/**
	 * The similarity a pair needs to close a gap automatically: the workspace's threshold plus the
	 * margin, and at least the model's floor (null = none).
	 */
	double autoCloseThreshold(double confidenceThreshold, Double modelFloor) {
		return Math.max(confidenceThreshold + this.autoCloseMargin, (modelFloor != null) ? modelFloor : -1.0);
	}

	GapProperties withGrouping(Double threshold, Linkage newLinkage) {
		return new GapProperties(this.consumer, threshold, newLinkage, this.countUpdateInterval, this.autoCloseMargin);
	}

	GapProperties withAutoCloseMargin(double margin) {
		return new GapProperties(this.consumer, this.groupingThreshold, this.linkage, this.countUpdateInterval, margin);
	}

	private static void requireSimilarity(double value, String name) {
		if (value < -1 || value > 1) {
			throw new IllegalArgumentException(name + " must be a similarity in [-1, 1], was " + value);
		}
	}

}
