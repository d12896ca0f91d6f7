using System.Globalization;
using TaskQueue.TestSupport.Network;
using TaskQueue.TestSupport.Processes;

namespace TaskQueue.TestSupport.PostgreSql;

/// <summary>
/// A real, throwaway PostgreSQL server: a fresh cluster (<c>initdb</c>) in a temporary folder, listening on
/// 127.0.0.1 on a free port with its socket in that folder, fsync on. Stopped by its process id and its folder
/// deleted when disposed. Runs as the <c>postgres</c> user when the tests run as root (PostgreSQL refuses root).
/// </summary>
/// <remarks>
/// Connections over TCP are trusted for every role except <see cref="PasswordRole"/>, which must give its
/// password (SCRAM), so that tests can see what a wrong password does.
/// </remarks>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    /// <summary>How a developer gets PostgreSQL; the tests look for it in /usr/lib/postgresql/*/bin.</summary>
    public const string InstallHint = "install PostgreSQL 15 (apt-get install postgresql)";

    /// <summary>The superuser, trusted without a password.</summary>
    public const string SuperUser = "postgres";

    /// <summary>A role that must give <see cref="Password"/>: for tests of authentication failures.</summary>
    public const string PasswordRole = "taskqueue_password";

    /// <summary>The password of <see cref="PasswordRole"/>.</summary>
    public const string Password = "correct horse battery staple";

    private const string FolderPrefix = "taskqueue-postgres-";
    private const string OwnerFile = "owner.pid";
    private const int StartAttempts = 3;
    private const int SigInt = 2;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binFolder;
    private readonly bool _asPostgresUser;
    private ExternalProcess? _process;
    private string _lastOutput = "";

    private PostgreSqlServer(string binFolder, string folder, bool asPostgresUser)
    {
        _binFolder = binFolder;
        _asPostgresUser = asPostgresUser;
        Folder = folder;
    }

    /// <summary>The temporary folder that holds the data folder, the socket and nothing else.</summary>
    public string Folder { get; }

    /// <summary>The cluster's data folder.</summary>
    public string DataFolder => Path.Combine(Folder, "data");

    /// <summary>The folder of the server's Unix socket.</summary>
    public string SocketFolder => Folder;

    /// <summary>The loopback port it listens on; the same across <see cref="RestartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>The operating system's id of the postmaster, while it runs.</summary>
    public int ProcessId => Running.Id;

    /// <summary>What the server wrote lately, for failure messages.</summary>
    public string RecentOutput => _process?.RecentOutput ?? _lastOutput;

    private ExternalProcess Running =>
        _process is { HasExited: false } process
            ? process
            : throw new InvalidOperationException("PostgreSQL is not running.");

    /// <summary>The folder of PostgreSQL's programs (the newest installed version), or null when none is.</summary>
    public static string? FindBinFolder()
    {
        const string Root = "/usr/lib/postgresql";
        if (Directory.Exists(Root))
        {
            var newest = Directory.GetDirectories(Root)
                .Select(folder => (Folder: folder, Version: int.TryParse(Path.GetFileName(folder), out var v) ? v : -1))
                .Where(candidate => candidate.Version > 0 && HasPrograms(Path.Combine(candidate.Folder, "bin")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => Path.Combine(candidate.Folder, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        // Elsewhere (a developer's machine with PostgreSQL on PATH).
        var initdb = Tools.RequiredTools.Find("initdb");
        return initdb is not null && HasPrograms(Path.GetDirectoryName(initdb)!) ? Path.GetDirectoryName(initdb) : null;
    }

    /// <summary>Creates a cluster in a new temporary folder and starts it.</summary>
    public static async Task<PostgreSqlServer> StartAsync(string binFolder, CancellationToken cancellationToken)
    {
        RemoveStaleServers();
        var asPostgresUser = Environment.UserName == "root";
        var folder = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        await File.WriteAllTextAsync(
            Path.Combine(folder, OwnerFile),
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            cancellationToken);
        var server = new PostgreSqlServer(binFolder, folder, asPostgresUser);
        try
        {
            await server.CreateClusterAsync(cancellationToken);
            await server.StartOnFreePortAsync(cancellationToken);
            await server.ExecuteAsync(
                $"CREATE ROLE {PasswordRole} LOGIN PASSWORD '{Password}'", "postgres", cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> as the superuser, over TCP.</summary>
    public string ConnectionString(string database, string user = SuperUser, string? password = null)
    {
        var text = $"Host=127.0.0.1;Port={Port};Username={user};Database={database}";
        return password is null ? text : $"{text};Password={password}";
    }

    /// <summary>Creates a new empty database with a unique name and answers its name.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "tq_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE {name}", "postgres", cancellationToken);
        await ExecuteAsync($"GRANT ALL ON DATABASE {name} TO {PasswordRole}", "postgres", cancellationToken);
        return name;
    }

    /// <summary>Drops a database, disconnecting whoever is still in it.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", "postgres", cancellationToken);

    /// <summary>Runs SQL through psql as the superuser; throws with psql's output when it fails.</summary>
    public async Task ExecuteAsync(string sql, string database, CancellationToken cancellationToken) =>
        await PsqlAsync(sql, database, cancellationToken);

    /// <summary>Runs a query through psql and answers its rows, one line each, columns separated by '|'.</summary>
    public async Task<IReadOnlyList<string>> QueryAsync(string sql, string database, CancellationToken cancellationToken)
    {
        var output = await PsqlAsync(sql, database, cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Stops the server in order (fast shutdown: sessions are ended, everything committed stays).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        _ = NativeSignals.Send(process.Id, SigInt);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill();
        }

        await process.DisposeAsync();
        _process = null;
    }

    /// <summary>Kills the postmaster with SIGKILL: a crash. Its sessions notice and end; the next start recovers.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            await process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Stops the server (if it still runs) and starts it again on the same port and data.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync(cancellationToken);
        var output = new List<string>();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            if (await TryStartAsync(Port, cancellationToken))
            {
                return;
            }

            // After a kill the old server's sessions take a moment to notice and let go of its shared memory.
            output.Add(RecentOutput);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        var outputs = string.Join(Environment.NewLine, output);
        throw new InvalidOperationException(
            $"PostgreSQL did not start again on port {Port}.{Environment.NewLine}{outputs}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(StopTimeout);
            await StopAsync(timeout.Token);
        }
        finally
        {
            DeleteFolder(Folder);
        }
    }

    private static bool HasPrograms(string folder) =>
        File.Exists(Path.Combine(folder, "initdb"))
        && File.Exists(Path.Combine(folder, "postgres"))
        && File.Exists(Path.Combine(folder, "pg_isready"))
        && File.Exists(Path.Combine(folder, "psql"));

    /// <summary>
    /// Removes servers that earlier test runs left behind when they were killed (their owner process is gone):
    /// the postmaster named in their data folder is killed only if its command line names that folder.
    /// </summary>
    private static void RemoveStaleServers()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            try
            {
                var ownerPath = Path.Combine(folder, OwnerFile);
                if (!File.Exists(ownerPath)
                    || !int.TryParse(File.ReadAllText(ownerPath), CultureInfo.InvariantCulture, out var owner)
                    || Directory.Exists($"/proc/{owner}"))
                {
                    continue;
                }

                var pidFile = Path.Combine(folder, "data", "postmaster.pid");
                if (File.Exists(pidFile)
                    && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid)
                    && File.Exists($"/proc/{pid}/cmdline")
                    && File.ReadAllText($"/proc/{pid}/cmdline").Contains(folder, StringComparison.Ordinal))
                {
                    using var postmaster = System.Diagnostics.Process.GetProcessById(pid);
                    postmaster.Kill();
                    postmaster.WaitForExit(TimeSpan.FromSeconds(10));
                }

                DeleteFolder(folder);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException
                or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Someone else's folder, or one that vanished meanwhile: leave it.
            }
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the system cleans its temporary folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task CreateClusterAsync(CancellationToken cancellationToken)
    {
        if (_asPostgresUser)
        {
            await RunAsync("chown", [SuperUser, Folder], cancellationToken);
        }

        // --no-sync only skips initdb's final flush of the new cluster; the server itself runs with fsync on.
        await RunAsync(
            AsServerUser(Path.Combine(_binFolder, "initdb")),
            [.. AsServerUserArguments(Path.Combine(_binFolder, "initdb")),
                "-D", DataFolder, "-A", "trust", "-U", SuperUser, "-E", "UTF8", "--locale=C", "--no-sync"],
            cancellationToken);

        // First match wins: the password role is checked before the trust lines initdb wrote.
        var hba = Path.Combine(DataFolder, "pg_hba.conf");
        var rules = await File.ReadAllTextAsync(hba, cancellationToken);
        await File.WriteAllTextAsync(
            hba,
            $"host all {PasswordRole} 127.0.0.1/32 scram-sha-256\n{rules}",
            cancellationToken);
    }

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            // Another test may take the free port before the server binds it: then it exits and we try another.
            if (await TryStartAsync(FreePort.Next(), cancellationToken))
            {
                return;
            }
        }

        throw new InvalidOperationException($"PostgreSQL did not start.{Environment.NewLine}{RecentOutput}");
    }

    private async Task<bool> TryStartAsync(int port, CancellationToken cancellationToken)
    {
        var postgres = Path.Combine(_binFolder, "postgres");
        _process = ExternalProcess.Start(
            AsServerUser(postgres),
            [.. AsServerUserArguments(postgres),
                "-D", DataFolder, "-p", port.ToString(CultureInfo.InvariantCulture),
                "-c", "listen_addresses=127.0.0.1", "-k", SocketFolder,
                "-c", "fsync=on",
                // Room for several test classes' pools at once (each is bounded, 16 by default).
                "-c", "max_connections=300",
                "-c", "shared_buffers=64MB"],
            workingDirectory: Folder,
            name: "postgres");
        Port = port;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadyTimeout);
        while (!_process.HasExited)
        {
            var (exitCode, _) = await ExternalProcess.RunAsync(
                Path.Combine(_binFolder, "pg_isready"),
                ["-q", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", SuperUser],
                ToolTimeout,
                workingDirectory: Folder,
                cancellationToken: cancellationToken);
            if (exitCode == 0)
            {
                return true;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        _lastOutput = _process.RecentOutput;
        await _process.DisposeAsync();
        _process = null;
        return false;
    }

    private async Task<string> PsqlAsync(string sql, string database, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ExternalProcess.RunAsync(
            Path.Combine(_binFolder, "psql"),
            ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", SuperUser, "-d", database, "-c", sql],
            ToolTimeout,
            workingDirectory: Folder,
            cancellationToken: cancellationToken);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"psql failed ({exitCode}) running: {sql}{Environment.NewLine}{output}");
    }

    private async Task RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ExternalProcess.RunAsync(
            fileName, arguments, ToolTimeout, workingDirectory: Folder, cancellationToken: cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} failed ({exitCode}):{Environment.NewLine}{output}");
        }
    }

    // setpriv changes user and then execs the program, so the process id we hold is the program's own (runuser
    // would stay in between as a parent, and stopping it would orphan the server).
    private string AsServerUser(string program) => _asPostgresUser ? "setpriv" : program;

    private string[] AsServerUserArguments(string program) =>
        _asPostgresUser
            ? ["--reuid=" + SuperUser, "--regid=" + SuperUser, "--init-groups", "--", program]
            : [];
}
