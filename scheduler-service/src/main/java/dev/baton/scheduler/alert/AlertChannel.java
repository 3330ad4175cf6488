package dev.baton.scheduler.alert;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A channel a job's alerts go to: a {@code url} for every type but EMAIL, which takes {@code to}.
 * Rules across fields are checked by {@link Alerts#check}.
 *
 * @param type the kind of channel
 * @param url where a webhook, Slack, Teams, DingTalk or Feishu message is posted
 * @param to the addresses an EMAIL goes to
 */
public record AlertChannel(
        @NotNull ChannelType type,
        @Size(max = 2000) String url,
        @Size(max = 20) List<@NotBlank @Size(max = 320) String> to) {}
