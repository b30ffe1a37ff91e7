package ai.loopgpt.dr.notification.channel;

/** Delivers over one channel (email, slack, webhook) and says whether a failure is worth retrying. */
public interface ChannelSender {

    /** The channel's name as clients spell it. */
    String channel();

    /** Attempts one delivery; never throws. */
    DeliveryOutcome send(OutgoingMessage outgoing);
}
