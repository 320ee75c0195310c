//! Contracts in an EVM: solc-js compiles the generated Solidity (the
//! `solc` npm package pinned in `benches/evm/package.json`, run by
//! `benches/evm/compile.mjs`) and `revm` runs it, with the mainnet
//! gas schedule of the Osaka fork and the BN254 precompiles of `substrate-bn`
//! (not arkworks, so the pairing check is done by code zkcomply did not write).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use revm::context::result::ExecutionResult;
use revm::context::TxEnv;
use revm::database::{CacheDB, EmptyDB};
use revm::handler::MainnetContext;
use revm::primitives::hardfork::SpecId;
use revm::primitives::{Address, Bytes, Log, TxKind, U256};
use revm::{Context, ExecuteCommitEvm, MainBuilder, MainContext, MainnetEvm};
use serde_json::Value;
use zkcomply_verifier::solidity::abi::selector;

/// The directory holding `compile.mjs` and its `package.json`.
pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("evm")
}

/// One compiled contract.
#[derive(Debug, Clone)]
pub struct CompiledContract {
    /// Creation code.
    pub bytecode: Vec<u8>,
    /// Size of the deployed code in bytes.
    pub runtime_size: usize,
    /// Function signature -> selector (hex), as solc computed them.
    pub selectors: BTreeMap<String, String>,
}

/// One of the settings blocks `compile.mjs` compiles with (EVM `cancun` in
/// each, solc's defaults otherwise). The exported Solidity compiles under
/// each, as one compilation unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SolcSettings {
    /// The optimizer on, 200 runs (the Yul optimizer with it): the
    /// recommended settings, the cheapest in gas.
    Optimized,
    /// The optimizer off.
    Unoptimized,
    /// `viaIR` with the optimizer on, 200 runs.
    ViaIr,
}

impl SolcSettings {
    /// Every settings block, the recommended one first.
    pub const ALL: [SolcSettings; 3] = [SolcSettings::Optimized, SolcSettings::Unoptimized, SolcSettings::ViaIr];

    /// The settings `compile` uses and docs/ONCHAIN.md recommends.
    pub const RECOMMENDED: SolcSettings = SolcSettings::Optimized;

    /// The name `compile.mjs --settings` takes and prints.
    pub fn name(self) -> &'static str {
        match self {
            SolcSettings::Optimized => "optimized",
            SolcSettings::Unoptimized => "unoptimized",
            SolcSettings::ViaIr => "via-ir",
        }
    }

    /// What the settings block holds, in words.
    pub fn description(self) -> &'static str {
        match self {
            SolcSettings::Optimized => "optimizer on, 200 runs",
            SolcSettings::Unoptimized => "optimizer off",
            SolcSettings::ViaIr => "viaIR, optimizer on, 200 runs",
        }
    }

    /// The settings named `name` (as [`SolcSettings::name`] gives it).
    pub fn from_name(name: &str) -> Option<SolcSettings> {
        SolcSettings::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl std::fmt::Display for SolcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Every contract of a compiled directory, by name.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// solc's version string.
    pub compiler: String,
    /// The settings block the directory was compiled with.
    pub settings: SolcSettings,
    /// The contracts.
    pub contracts: BTreeMap<String, CompiledContract>,
}

impl Compiled {
    /// A contract by name.
    ///
    /// # Errors
    /// When solc produced no such contract.
    pub fn get(&self, name: &str) -> Result<&CompiledContract, String> {
        self.contracts.get(name).ok_or_else(|| format!("solc produced no contract {name}"))
    }
}

/// Compiles every `.sol` file of `dir` with solc-js, as one compilation
/// unit, with the recommended settings ([`SolcSettings::RECOMMENDED`]).
///
/// # Errors
/// When Node.js or the npm packages are missing (run `npm ci --prefix
/// benches/evm`, which `scripts/test.sh` does), or solc reports errors.
pub fn compile(dir: &Path) -> Result<Compiled, String> {
    compile_with(dir, SolcSettings::RECOMMENDED)
}

/// Compiles every `.sol` file of `dir` with solc-js, as one compilation
/// unit, with `settings`.
///
/// # Errors
/// As [`compile`]; also when `compile.mjs` reports other settings than
/// `settings`.
pub fn compile_with(dir: &Path, settings: SolcSettings) -> Result<Compiled, String> {
    let tools = tools_dir();
    if !tools.join("node_modules/solc").is_dir() {
        return Err(format!(
            "solc-js is not installed: run `npm ci --prefix {}` (scripts/test.sh does)",
            tools.display()
        ));
    }
    let out = Command::new("node")
        .arg(tools.join("compile.mjs"))
        .arg(dir)
        .arg("--settings")
        .arg(settings.name())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!("solc failed ({settings} settings):\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    let v: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("compile.mjs printed bad JSON: {e}"))?;
    let field = |c: &Value, name: &str, key: &str| -> Result<String, String> {
        c[key].as_str().map(str::to_string).ok_or_else(|| format!("compile.mjs gave no {key} for {name}"))
    };
    let used = field(&v, "the compilation", "settings")?;
    if SolcSettings::from_name(&used) != Some(settings) {
        return Err(format!("compile.mjs compiled with {used} settings, not {settings}"));
    }
    let mut contracts = BTreeMap::new();
    for (name, c) in v["contracts"].as_object().into_iter().flatten() {
        let bytecode = hex::decode(field(c, name, "bytecode")?).map_err(|e| format!("{name}: bytecode: {e}"))?;
        let selectors = c["selectors"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(signature, s)| {
                s.as_str()
                    .map(|s| (signature.clone(), s.to_string()))
                    .ok_or_else(|| format!("compile.mjs gave no selector for {name}.{signature}"))
            })
            .collect::<Result<BTreeMap<_, _>, String>>()?;
        let runtime_size = c["runtime_size"]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| format!("compile.mjs gave no runtime_size for {name}"))?;
        contracts.insert(name.clone(), CompiledContract { bytecode, runtime_size, selectors });
    }
    let compiler = field(&v, "the compiler", "compiler")?;
    Ok(Compiled { compiler, settings, contracts })
}

/// What a transaction did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Whether it succeeded.
    pub success: bool,
    /// Return data, or revert data.
    pub output: Vec<u8>,
    /// Gas of the whole transaction (what the sender pays for).
    pub tx_gas: u64,
    /// Gas of execution alone: `tx_gas` less the intrinsic cost (21,000
    /// and the calldata bytes).
    pub execution_gas: u64,
    /// Logs emitted.
    pub logs: Vec<Log>,
    /// The created contract, for a deployment.
    pub created: Option<Address>,
}

impl Outcome {
    /// The revert's custom error selector, if any.
    pub fn error_selector(&self) -> Option<[u8; 4]> {
        (!self.success && self.output.len() >= 4)
            .then(|| [self.output[0], self.output[1], self.output[2], self.output[3]])
    }

    /// Whether it reverted with the custom error `signature`, e.g.
    /// `"ProofInvalid()"`.
    pub fn reverted_with(&self, signature: &str) -> bool {
        self.error_selector() == Some(selector(signature))
    }

    /// The 32-byte word `i` of the output (after the selector, for a revert).
    pub fn word(&self, i: usize) -> Option<[u8; 32]> {
        let start = if self.success { 0 } else { 4 } + 32 * i;
        self.output.get(start..start + 32).and_then(|w| w.try_into().ok())
    }
}

/// Intrinsic gas of a call with `data` (EIP-2028 calldata prices).
pub fn intrinsic_gas(data: &[u8], create: bool) -> u64 {
    let calldata: u64 = data.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum();
    let create_cost = if create { 32_000 + 2 * (data.len() as u64).div_ceil(32) } else { 0 };
    21_000 + calldata + create_cost
}

/// An in-memory chain.
pub struct Chain {
    evm: MainnetEvm<MainnetContext<CacheDB<EmptyDB>>>,
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

impl Chain {
    /// An empty chain at the Osaka fork.
    pub fn new() -> Self {
        let evm = Context::mainnet()
            .with_db(CacheDB::new(EmptyDB::default()))
            .modify_cfg_chained(|cfg| {
                cfg.set_spec_and_mainnet_gas_params(SpecId::OSAKA);
                cfg.disable_nonce_check = true;
            })
            .build_mainnet();
        Self { evm }
    }

    /// Lifts EIP-170's 24 KB limit on deployed code, as development nodes
    /// can (Hardhat's `allowUnlimitedContractSize`, anvil's
    /// `--code-size-limit`): the gate compiled without the optimizer is
    /// over it (docs/ONCHAIN.md).
    pub fn allow_large_contracts(&mut self) {
        self.evm.ctx.cfg.limit_contract_code_size = Some(usize::MAX);
    }

    /// Sets the block time.
    pub fn set_timestamp(&mut self, unix: u64) {
        self.evm.ctx.block.timestamp = U256::from(unix);
    }

    fn run(&mut self, from: Address, kind: TxKind, data: Vec<u8>) -> Outcome {
        let create = matches!(kind, TxKind::Create);
        let intrinsic = intrinsic_gas(&data, create);
        let tx = TxEnv::builder().caller(from).kind(kind).data(Bytes::from(data)).gas_limit(16_000_000).build_fill();
        match self.evm.transact_commit(tx) {
            Ok(result) => {
                let tx_gas = result.tx_gas_used();
                let execution_gas = tx_gas.saturating_sub(intrinsic);
                match result {
                    ExecutionResult::Success { logs, output, .. } => Outcome {
                        success: true,
                        created: output.address().copied(),
                        output: output.into_data().to_vec(),
                        tx_gas,
                        execution_gas,
                        logs,
                    },
                    ExecutionResult::Revert { output, logs, .. } => {
                        Outcome { success: false, output: output.to_vec(), tx_gas, execution_gas, logs, created: None }
                    }
                    ExecutionResult::Halt { reason, .. } => Outcome {
                        success: false,
                        output: format!("halt: {reason:?}").into_bytes(),
                        tx_gas,
                        execution_gas,
                        logs: Vec::new(),
                        created: None,
                    },
                }
            }
            Err(e) => Outcome {
                success: false,
                output: format!("invalid transaction: {e:?}").into_bytes(),
                tx_gas: 0,
                execution_gas: 0,
                logs: Vec::new(),
                created: None,
            },
        }
    }

    /// Deploys `creation` code with constructor arguments.
    ///
    /// # Errors
    /// The outcome, when the deployment reverted.
    pub fn deploy(&mut self, from: Address, creation: &[u8], args: &[[u8; 32]]) -> Result<Address, Outcome> {
        let mut data = creation.to_vec();
        for a in args {
            data.extend_from_slice(a);
        }
        let out = self.run(from, TxKind::Create, data);
        match (out.success, out.created) {
            (true, Some(a)) => Ok(a),
            _ => Err(out),
        }
    }

    /// Sends a transaction with `data` to `to`.
    pub fn call(&mut self, from: Address, to: Address, data: Vec<u8>) -> Outcome {
        self.run(from, TxKind::Call(to), data)
    }
}

/// An address as an ABI word.
pub fn address_word(a: Address) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[12..].copy_from_slice(a.as_slice());
    w
}

/// A gate deployed and configured for one policy.
pub struct DeployedGate {
    /// The gate.
    pub gate: Address,
    /// A stand-alone verifier for the same key (to measure `verifyProof` alone).
    pub verifier: Address,
}

/// Deploys the context hash parts, a gate and a stand-alone verifier from
/// `compiled`, sends the owner calls that make the gate enforce `policy`,
/// and approves the statement of `approve` (a bundle's arguments).
///
/// # Errors
/// Which deployment or call failed, and its revert data.
pub fn deploy_gate(
    chain: &mut Chain,
    compiled: &Compiled,
    owner: Address,
    policy: &zkcomply_verifier::policy::Policy,
    approve: &zkcomply_verifier::solidity::calldata::GateArguments,
) -> Result<DeployedGate, String> {
    use zkcomply_verifier::solidity::context_hash::PART_NAMES;
    let mut parts = Vec::new();
    for name in PART_NAMES {
        let a = chain
            .deploy(owner, &compiled.get(name)?.bytecode, &[])
            .map_err(|o| format!("deploying {name}: 0x{}", hex::encode(o.output)))?;
        parts.push(address_word(a));
    }
    let gate = chain
        .deploy(owner, &compiled.get("ComplianceGate")?.bytecode, &parts)
        .map_err(|o| format!("deploying ComplianceGate: 0x{}", hex::encode(o.output)))?;
    let verifier = chain
        .deploy(owner, &compiled.get("Groth16Verifier")?.bytecode, &[])
        .map_err(|o| format!("deploying Groth16Verifier: 0x{}", hex::encode(o.output)))?;
    let calls = zkcomply_verifier::solidity::policy_calls::policy_calls(policy).map_err(|e| e.to_string())?;
    for call in calls {
        let data = hex::decode(call.calldata.trim_start_matches("0x")).map_err(|e| e.to_string())?;
        let out = chain.call(owner, gate, data);
        if !out.success {
            return Err(format!("{}: 0x{}", call.description, hex::encode(out.output)));
        }
    }
    let out = chain.call(owner, gate, approve.approve_statement().encode());
    if !out.success {
        return Err(format!("approveStatement: 0x{}", hex::encode(out.output)));
    }
    Ok(DeployedGate { gate, verifier })
}

/// A verification key in snarkjs's JSON format (`verification_key.json`),
/// as the verifier exports it.
pub fn snarkjs_verification_key(vk: &zkcomply_verifier::backend::groth16::VerifyingKey) -> Value {
    serde_json::to_value(zkcomply_verifier::snarkjs::verification_key::SnarkjsVerificationKey::from_key(vk))
        .expect("a key document has only string keys and plain values")
}

/// Writes snarkjs's Solidity verifier for `vk` (its own template, rendered
/// by `render-snarkjs.mjs`) as `Groth16Verifier.sol` in `dir`.
///
/// # Errors
/// When the files cannot be written or Node.js fails.
pub fn render_snarkjs_verifier(
    vk: &zkcomply_verifier::backend::groth16::VerifyingKey,
    dir: &Path,
) -> Result<(), String> {
    let key_path = dir.join("verification_key.json");
    std::fs::write(&key_path, snarkjs_verification_key(vk).to_string()).map_err(|e| e.to_string())?;
    let status = Command::new("node")
        .arg(tools_dir().join("render-snarkjs.mjs"))
        .arg(&key_path)
        .arg(dir.join("Groth16Verifier.sol"))
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !status.success() {
        return Err("render-snarkjs.mjs failed".into());
    }
    std::fs::remove_file(&key_path).map_err(|e| e.to_string())
}

/// The signature of snarkjs's `verifyProof` for `n` public inputs.
pub fn snarkjs_verify_signature(n: usize) -> String {
    format!("verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[{n}])")
}
