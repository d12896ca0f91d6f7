namespace TaskQueue.Silo.Tests.Storage.Embedded;

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    // Orleans' shortest allowed period; the tests never wait for a tick.
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    public Task RegisterAsync(string name) => this.RegisterOrUpdateReminder(name, Period, Period);

    public async Task UnregisterAsync(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
