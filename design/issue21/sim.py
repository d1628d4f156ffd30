import numpy as np, sys
def llr(xc,nc,xs,ns,r1,r0):
    if nc==0 or ns==0 or xc+xs==0: return 0.0
    s1=r1*nc/(r1*nc+ns); s0=r0*nc/(r0*nc+ns)
    return xc*np.log(s1/s0)+xs*np.log((1-s1)/(1-s0))
def logmix(ls,ws):
    m=max(ls); return m+np.log(sum(w*np.exp(l-m) for l,w in zip(ls,ws))/sum(ws))
TOL=1.25
def run(rng, rps, base, ratio, mode, hist_min=60, mustcatch=2.0, maxmin=120):
    sched=[(5,10),(10,10),(50,10)]
    worse=[max(mustcatch,1.2*TOL)*2**i for i in range(6)]
    ww=[0.5**(i+1) for i in range(6)]
    within=np.sqrt(min(TOL,mustcatch))
    hn = rps*60*hist_min if mode=='hist' else 0
    hx = rng.poisson(base*hn) if hn else 0
    # per minute data
    step=0; t_in_step=0
    earlier_w=np.zeros(6); earlier_in=0.0
    C=[0,0]; S=[0,0]  # totals errors, requests
    stepC=[0,0]; stepS=[0,0]
    pending=None  # data delayed by 1 min
    for minute in range(1,maxmin+1):
        w=sched[min(step,2)][0]/100
        n=rps*60
        nc=rng.poisson(n*w); ns=rng.poisson(n*(1-w))
        xc=rng.binomial(nc,min(1,base*ratio)); xs=rng.binomial(ns,base)
        # delay: the minute becomes visible at next minute's analysis
        vis=pending; pending=(nc,xc,ns,xs)
        if vis:
            stepC[0]+=vis[1]; stepC[1]+=vis[0]; stepS[0]+=vis[3]; stepS[1]+=vis[2]
        t_in_step+=1
        totC=(C[0]+stepC[0],C[1]+stepC[1]); totS=(S[0]+stepS[0],S[1]+stepS[1])
        if mode=='step':
            wl=[earlier_w[i]+llr(stepC[0],stepC[1],stepS[0],stepS[1],worse[i],TOL) for i in range(6)]
            wi=earlier_in+llr(stepC[0],stepC[1],stepS[0],stepS[1],within,mustcatch)
        else:
            wl=[llr(totC[0],totC[1],totS[0]+hx,totS[1]+hn,worse[i],TOL) for i in range(6)]
            wi=llr(totC[0],totC[1],totS[0]+hx,totS[1]+hn,within,mustcatch)
        crate=totC[0]/max(1,totC[1]); srate=(totS[0]+hx)/max(1,totS[1]+hn)
        allowed=max(srate*TOL,srate+0.001)
        if logmix(wl,ww)>=np.log(1/0.004) and crate>allowed: return ('rb',minute)
        if step<2 and t_in_step>=10:
            if mode=='step':
                earlier_w=np.array(wl); earlier_in=wi
            C=[totC[0],totC[1]]; S=[totS[0],totS[1]]; stepC=[0,0]; stepS=[0,0]
            step+=1; t_in_step=0
        elif step==2 and t_in_step>=10:
            # promotion: within evidence (0.7 weight) >= 20
            if wi+np.log(0.7)>=np.log(20): return ('pr',minute)
    return ('held',maxmin)
def summary(rps,base,ratio,mode,runs=1000,**kw):
    rng=np.random.default_rng(1)
    out=[run(rng,rps,base,ratio,mode,**kw) for _ in range(runs)]
    rb=[m for k,m in out if k=='rb']; pr=[m for k,m in out if k=='pr']; held=sum(1 for k,_ in out if k=='held')
    f=lambda a:(np.median(a) if a else float('nan'), np.percentile(a,95) if a else float('nan'))
    return f"rb {len(rb)/runs:6.1%} {f(rb)} pr {len(pr)/runs:6.1%} {f(pr)} held {held/runs:.1%}"
cases=[("2x 10rps",10,0.005,2,{}),("5x 1rps",1,0.005,5,{}),("healthy 10rps",10,0.005,1,{}),("tol 10rps",10,0.005,1.25,{}),("healthy 1rps mc4",1,0.005,1,{'mustcatch':4}),("4x 1rps mc4",1,0.005,4,{'mustcatch':4}),("healthy 100",100,0.005,1,{}),("tol 100",100,0.005,1.25,{})]
if __name__=="__main__":
  for name,rps,b,r,kw in cases:
    for mode in ['step','pool','hist']:
        print(f"{name:18s} {mode:5s}", summary(rps,b,r,mode,runs=int(sys.argv[1]) if len(sys.argv)>1 else 400,**kw), flush=True)
