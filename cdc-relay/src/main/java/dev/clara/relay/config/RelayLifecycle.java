package dev.clara.relay.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

import dev.clara.relay.core.CdcRelay;

/**
 * Starts the relay with the application and stops it first on shutdown. When the instance takes
 * over later (it was standby) and finds offsets and slot disagreeing, the process exits with
 * status 3 so the failure is impossible to miss; at start-up the same check fails the start.
 */
class RelayLifecycle implements SmartLifecycle {

	/** Exit status when offsets and slot disagree. */
	static final int MISMATCH_EXIT_STATUS = 3;

	private static final Logger logger = LoggerFactory.getLogger(RelayLifecycle.class);

	private final CdcRelay relay;

	private final ConfigurableApplicationContext context;

	private volatile boolean running;

	RelayLifecycle(CdcRelay relay, ConfigurableApplicationContext context) {
		this.relay = relay;
		this.context = context;
	}

	@Override
	public void start() {
		this.relay.onFatal((ex) -> {
			Thread exit = new Thread(() -> {
				logger.error("Exiting (status {}): {}", MISMATCH_EXIT_STATUS, ex.recoveryCommand());
				int status = SpringApplication.exit(this.context, () -> MISMATCH_EXIT_STATUS);
				System.exit(status);
			}, "cdc-relay-exit");
			exit.start();
		});
		this.relay.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.relay.close();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// stopped before the web server and the data source go
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

}
